// Recurring events listed once: "Every Tuesday" with the dates, skipped and changed instances, counted once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cadence } from '../../src/render/series.ts';
import { event } from '../helpers/events.ts';
import { render, seedEvents, visibleText } from '../helpers/render.ts';

/** A Tuesday meeting in Chicago: Dec 13 off, Dec 20 moved to Thursday, Dec 27 a party. */
const meeting = () =>
  event({
    id: 'tenants',
    title: 'Tenant union meeting',
    kind: 'action',
    start: '2016-11-29T18:30',
    end: '2016-11-29T20:00',
    timezone: 'America/Chicago',
    location: { venue: 'Union Hall', address: '880 W Lake St', city: 'Chicago', region: 'IL' },
    links: [{ label: 'RSVP', url: 'https://example.org/rsvp' }],
    recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=TU', exdates: ['2016-12-13T18:30:00'], rdates: [] },
    overrides: [
      { recurrenceId: '2016-12-20T18:30:00', start: '2016-12-22T19:00:00', end: '2016-12-22T20:30:00' },
      { recurrenceId: '2016-12-27T18:30:00', title: 'Holiday party' },
    ],
  });

test('a weekly meeting is one entry: its rhythm and time, its dates, the skipped one, changed ones on their own lines', async () => {
  const { compiled, html, text } = await render([meeting()], { weeks: 5 });
  const seen = visibleText(html);
  const entry = ['Tenant union meeting', 'Every Tuesday · 6:30 – 8:00 PM CST', 'Nov 29, Dec 6 · no meeting Dec 13', 'Dec 20 moved to Thu, Dec 22 · 7:00 – 8:30 PM CST', 'Tue, Dec 27 · 6:30 – 8:00 PM CST: Holiday party', 'Union Hall, 880 W Lake St, Chicago, IL'];
  let at = seen.indexOf('Actions');
  for (const s of entry) {
    const i = seen.indexOf(s, at);
    assert.ok(i >= at, `"${s}" in order in:\n${seen}`);
    at = i;
  }
  assert.equal(html.match(/<h3\b/g)?.length, 1, 'one entry, not five');
  assert.equal(seen.slice(seen.indexOf('Hi Ana')).split('Tenant union meeting').length - 1, 2, 'once in the glance, once as the entry');
  for (const s of entry) assert.ok(text.includes(s), `text: ${s}`);
  assert.deepEqual(compiled.view.counts, { action: 1 });
  assert.equal(compiled.subject, 'Nov 29: Tenant union meeting (Nov 28 – Jan 1)');
});

test('an instance retitled, alone in the window or with no regular week beside it, bears its own title everywhere', async () => {
  // The window holds only Dec 27 (the party), then Dec 20 (moved) and Dec 27 (the party) and no regular week.
  for (const [asOf, weeks, when] of [['2016-12-26', 1, 'Dec 27 · 6:30 – 8:00 PM CST'], ['2016-12-19', 2, 'Thu, Dec 22 · 7:00 – 8:30 PM CST']] as const) {
    const ev = meeting();
    ev.overrides = [{ recurrenceId: '2016-12-27T18:30:00', title: 'Holiday party' }, ...(weeks === 2 ? [{ recurrenceId: '2016-12-20T18:30:00', start: '2016-12-22T19:00:00', end: '2016-12-22T20:30:00', title: 'Tenant union meeting: budget vote' }] : [])];
    const { compiled, html, text } = await render([ev], { asOf, weeks });
    const title = weeks === 1 ? 'Holiday party' : 'Tenant union meeting: budget vote';
    const seen = visibleText(html);
    for (const body of [seen, text]) {
      assert.ok(body.includes(title), `${title} in:\n${body}`);
      assert.ok(body.includes(when), `${when} in:\n${body}`);
    }
    assert.match(html, new RegExp(`<h3\\b[^>]*>(?:<a [^>]*>)?${title}`), 'the entry heading');
    assert.match(text, new RegExp(`^- [^\\n]*: ${title}$`, 'm'), 'the glance');
    if (weeks === 1) assert.ok(!seen.includes('Tenant union meeting') && compiled.subject.includes('Holiday party'), compiled.subject);
  }
});

test('a series counts once in the subject and the preheader, beside other entries', async () => {
  const one = event({ id: 'rally', title: 'Rally for transit', start: '2016-12-03T12:00', end: '2016-12-03T14:00', location: { city: 'Chicago' } });
  const { compiled } = await render([meeting(), one], { weeks: 5, settings: { subject: '{{summary}}: {{highlights}}' } });
  assert.equal(compiled.subject, '2 actions: Nov 29: Tenant union meeting, Dec 3: Rally for transit');
  assert.equal(compiled.view.total, 2);
});

test('an online series shows in the reader zone with its own zone beside it', async () => {
  const call = event({ id: 'call', title: 'Weekly call', kind: 'webinar', start: '2016-11-30T12:00', end: '2016-11-30T13:00', timezone: 'America/Los_Angeles', location: { online: true, url: 'https://zoom.us/j/1' }, recurrence: { rrule: 'FREQ=WEEKLY', exdates: [], rdates: [] } });
  const seen = visibleText((await render([call], { zone: 'Europe/Berlin' })).html);
  assert.ok(seen.includes('Every Wednesday · 9:00 – 10:00 PM CET (12:00 PM PST)'), seen);
  assert.ok(seen.includes('Nov 30, Dec 7, 14'), seen);
  assert.ok(seen.includes('Online · Join: zoom.us/j/1'), seen);
});

test('a campaign listed as a span keeps its form', async () => {
  const seen = visibleText((await render(seedEvents())).html);
  assert.ok(seen.includes('Ongoing through Fri, Dec 16 · next session Mon, Nov 28'));
  assert.ok(seen.includes('Sessions: Nov 28 – Dec 2, Dec 5 – 9, Dec 12 – 16'));
  assert.doesNotMatch(seen, /Every (Monday|day)/);
});

test('cadence: every week, every other week, several weekdays, every day, or irregular', () => {
  assert.equal(cadence(['2016-12-06', '2016-12-13', '2016-12-20']), 'Every Tuesday');
  assert.equal(cadence(['2016-12-06', '2016-12-20']), 'Every other Tuesday');
  assert.equal(cadence(['2016-12-05', '2016-12-07', '2016-12-12', '2016-12-14']), 'Every Monday and Wednesday');
  assert.equal(cadence(['2016-12-05', '2016-12-07', '2016-12-09', '2016-12-12']), 'Every Mon, Wed and Fri');
  assert.equal(cadence(['2016-12-05', '2016-12-06', '2016-12-07']), 'Every day');
  assert.equal(cadence(['2016-12-06', '2016-12-13', '2017-01-03']), 'Tuesdays');
});
