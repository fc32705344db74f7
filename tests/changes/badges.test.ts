// Change badges in the rendered digest: hostile text stays text, a reader who joined since sees no changes, a series' instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { compareWithSnapshot } from '../../src/changes/compare.ts';
import type { ChangeSet, SnapshotItem } from '../../src/changes/model.ts';
import { takeSnapshot } from '../../src/changes/snapshot.ts';
import { renderVariant } from '../../src/render/digest.ts';
import type { CalendarEvent } from '../../src/events/model.ts';
import { event } from '../helpers/events.ts';
import { READER, SETTINGS, visibleText } from '../helpers/render.ts';

const HOSTILE = '<script>alert(1)</script></mj-text> {{reader.unsubscribeUrl}} {{#each x}}';
const policy = { kinds: [], months: 0 };
const select = (events: CalendarEvent[], asOf: string) => selectWindow(events, windowFor(asOf, 3, 'America/New_York'), policy);

async function render(events: CalendarEvent[], changes: ChangeSet, fresh = false, zone = 'America/New_York') {
  const v = await renderVariant(select(events, '2016-12-05'), { zone, kinds: [], fresh }, SETTINGS, { changes });
  return { html: v.html(READER), text: v.text(READER) };
}

test('hostile old titles and places in "Changed" and "Cancelled" stay inert text in HTML and text', async () => {
  const before = [
    event({ id: 'a', title: HOSTILE, start: '2016-12-06T14:00', end: '2016-12-06T15:00', location: { venue: '<b>Old</b> {{reader.name}}' } }),
    event({ id: 'b', title: `Gone ${HOSTILE}`, start: '2016-12-07T18:00', end: '2016-12-07T19:00' }),
  ];
  const week1 = select(before, '2016-11-28');
  const snapshot = takeSnapshot(week1, { events: before, alliedCalendars: [] }, undefined, new Date('2016-11-27T13:00:00Z'));
  const after = [event({ id: 'a', title: 'Safe title', start: '2016-12-06T16:00', end: '2016-12-06T17:00', location: { venue: 'New hall' } })];
  const changes = compareWithSnapshot(select(after, '2016-12-05'), { events: after, alliedCalendars: [] }, { windowStart: '2016-11-28', windowEndMs: Date.parse('2016-12-19T05:00:00Z'), snapshot });
  assert.deepEqual([...changes.byKey.values()].map((c) => c.change), ['changed']);
  assert.deepEqual(changes.cancelled.map((c: SnapshotItem) => c.eventId), ['b']);
  const { html, text } = await render(after, changes);
  assert.doesNotMatch(html, /<script>|<b>Old/);
  assert.ok(!html.includes(READER.unsubscribeUrl + ' '), 'no reader link filled into calendar text');
  const visible = visibleText(html);
  assert.ok(visible.includes(`Changed: was “${HOSTILE}” Tue, Dec 6, 2:00 PM EST at <b>Old</b> {{reader.name}}`), visible);
  assert.ok(visible.includes(`Cancelled: Gone ${HOSTILE} · Wed, Dec 7, 6:00 PM EST`));
  const flat = text.replace(/\n +/g, ' ').replace(/\n(?=\{)/g, ' ');
  assert.ok(flat.includes(`Changed: was “${HOSTILE}” Tue, Dec 6, 2:00 PM EST at <b>Old</b> {{reader.name}}`), flat);
  assert.ok(flat.includes(`- Cancelled: Gone ${HOSTILE} — Wed, Dec 7, 6:00 PM EST (no longer taking place)`));

  // A reader who did not get the previous issue: neither line.
  const fresh = await render(after, changes, true);
  assert.doesNotMatch(fresh.text, /Changed:|Cancelled:/);
  assert.doesNotMatch(visibleText(fresh.html), /Changed:|Cancelled:/);
});

test('a moved instance of a weekly series is "changed" on its own line; an event beyond the last window that existed then has no badge', async () => {
  const series = (overrides: CalendarEvent['overrides']) =>
    event({ id: 's', title: 'Meeting', start: '2016-11-29T19:00', end: '2016-11-29T20:00', recurrence: { rrule: 'FREQ=WEEKLY;COUNT=8', exdates: [], rdates: [] }, overrides });
  const later = event({ id: 'later', title: 'Far ahead', start: '2016-12-21T10:00', end: '2016-12-21T11:00' });
  const before = [series([]), later];
  // A one-week window: Dec 21 lies beyond it.
  const week1 = selectWindow(before, windowFor('2016-11-28', 1, 'America/New_York'), policy);
  const snapshot = takeSnapshot(week1, { events: before, alliedCalendars: [] }, undefined, new Date('2016-11-27T13:00:00Z'));
  const after = [series([{ recurrenceId: '2016-11-29T19:00:00', start: '2016-11-30T19:00:00', end: '2016-11-30T20:00:00' }]), later];
  const sel = selectWindow(after, windowFor('2016-11-28', 4, 'America/New_York'), policy);
  const changes = compareWithSnapshot(sel, { events: after, alliedCalendars: [] }, { windowStart: '2016-11-21', windowEndMs: Date.parse('2016-12-05T05:00:00Z'), snapshot });
  assert.deepEqual([...changes.byKey].map(([k, c]) => [k, c.change, c.was]), [['s|2016-11-29T19:00:00', 'changed', { start: '2016-11-29T19:00:00-05:00', end: '2016-11-29T20:00:00-05:00' }]]);
  assert.deepEqual(changes.cancelled, []);
});
