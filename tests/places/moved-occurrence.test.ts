// A weekly series in Columbus with one week moved to Cleveland (an ICS RECURRENCE-ID with its own LOCATION), sent
// for real (file outbox, parsed with mailparser): each reader's distance, filter and "where" line follow the week's
// own place, on the HTML and the text twin alike.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { listedByPlace } from '../../src/changes/copy-places.ts';
import { takeSnapshot } from '../../src/changes/snapshot.ts';
import { loadIcsText } from '../../src/events/ics/load.ts';
import { instanceAt } from '../../src/places/event-place.ts';
import { entryGroups } from '../../src/render/series.ts';
import { visibleText } from '../helpers/render.ts';
import { outboxMails, placeCli } from './send-helpers.ts';

const EVENTS = resolve(import.meta.dirname, '../fixtures/places/moved.ics');

test('send: a week of a series moved to another city is measured from, listed at and shown at its own place', async () => {
  // Three weeks from Monday 2030-05-06: the series meets May 7 and 21 in Columbus, May 14 in Cleveland.
  const { cwd, cli } = placeCli('ed-near-moved-', { DIGEST_EVENTS: EVENTS, DIGEST_NOW: '2030-05-06T13:00:00Z', DIGEST_KINDS: 'action', DIGEST_WEEKS: '3' });
  await cli(['subscribers', 'add', 'ann@example.org', '--location', 'Columbus, OH', '--radius', '40']);
  await cli(['subscribers', 'add', 'cleo@example.org', '--location', 'Cleveland, OH', '--radius', '10']);
  await cli(['subscribers', 'add', 'dan@example.org']);
  assert.match(await cli(['send', '--as-of', '2030-05-06']), /sent 3, skipped 0, failed 0, deferred 0$/);
  const mails = new Map([...(await outboxMails(cwd))].map(([to, m]) => [to, { text: m.text, seen: visibleText(m.html) }]));

  // Columbus, 40 mi: the Columbus weeks, a weekly rhythm still, and not the Cleveland one (about 120 mi away).
  const ann = mails.get('ann@example.org')!;
  for (const body of [ann.text, ann.seen]) {
    assert.match(body, /Canvass night/);
    assert.match(body, /Every Tuesday/);
    assert.match(body, /May 7, 21/);
    assert.match(body, /Union Hall, 12 Elm St, Columbus, OH/);
    assert.match(body, /less than 1 mi away/);
    assert.ok(!body.includes('Cleveland, OH ·') && !body.includes('Public Square'), 'the Cleveland week is not listed');
    assert.ok(!/May 14/.test(body), 'May 14 is neither listed nor called skipped');
    assert.match(body, /1 in-person event farther away is\s+not\s+shown/);
  }

  // Cleveland, 10 mi: only the Cleveland week, with its own place and a distance from it.
  const cleo = mails.get('cleo@example.org')!;
  for (const body of [cleo.text, cleo.seen]) {
    assert.match(body, /Canvass night/);
    assert.match(body, /Tue, May 14/);
    assert.match(body, /Public Square, Cleveland, OH[^\n]*· (?:less than 1|\d) mi away/);
    assert.ok(!body.includes('Union Hall') && !/May 7|May 21/.test(body), 'the Columbus weeks are not listed');
    assert.match(body, /1 in-person event farther away is\s+not\s+shown/);
  }

  // `select --near --json` measures the same way: only the Cleveland week is within 10 mi of Cleveland.
  const near = JSON.parse(await cli(['select', '--as-of', '2030-05-06', '--near', 'Cleveland, OH', '--radius', '10', '--json']));
  assert.deepEqual(near.occurrences.map((o: { start: string; location: string; distance: number }) => [o.start, o.location, o.distance]), [['2030-05-14T18:00:00-04:00', 'Public Square, Cleveland, OH', 0]]);
  assert.equal(near.near.beyond, 2);

  // No place: every week, each at its own place.
  const dan = mails.get('dan@example.org')!;
  for (const body of [dan.text, dan.seen]) {
    assert.match(body, /Union Hall, 12 Elm St, Columbus, OH/);
    assert.match(body, /Public Square, Cleveland, OH/);
    assert.match(body, /May 7, 21/);
    assert.match(body, /Tue, May 14/);
    assert.ok(!body.includes('mi away'));
  }
});

test('corrections: a copy measured the moved week from its own place, so only the readers near it are told of it', async () => {
  const events = loadIcsText(readFileSync(EVENTS, 'utf8'), 'moved.ics', { listTimezone: 'America/New_York', kinds: ['action'], defaultKind: 'action' }).events;
  const selection = selectWindow(events, windowFor('2030-05-06', 3, 'America/New_York'), { kinds: [], months: 0 });
  const snapshot = takeSnapshot(selection, { events, alliedCalendars: [] }, undefined, new Date('2030-05-06T12:00:00Z'));
  const reader = (subscriberId: number, lat: number, lon: number) => ({ subscriberId, kinds: [], place: { name: '', lat, lon, radius: 10 } });
  const columbus = reader(1, 39.96118, -82.99879);
  const cleveland = reader(2, 41.4995, -81.69541);
  const listedFor = (await listedByPlace({ radius: 50, distanceUnit: 'mi' }, snapshot, [columbus, cleveland]))!;
  const cancelled = (day: string) => ({ kind: 'cancelled' as const, before: snapshot.items.find((i) => i.start.startsWith(day))! });
  assert.deepEqual([columbus, cleveland].map((r) => listedFor(r, cancelled('2030-05-14'))), [false, true]);
  assert.deepEqual([columbus, cleveland].map((r) => listedFor(r, cancelled('2030-05-21'))), [true, false]);
});

test("an override that repeats its series' place without GEO (as Google and Outlook write them) stays at the series' point and in its entry", async () => {
  // The May 21 week moved an hour later; its LOCATION is the series' own, with no GEO line.
  const text = readFileSync(EVENTS, 'utf8').replace(
    'END:VCALENDAR',
    ['BEGIN:VEVENT', 'UID:canvass-night@example.org', 'DTSTAMP:20300101T000000Z', 'RECURRENCE-ID;TZID=America/New_York:20300521T180000',
      'DTSTART;TZID=America/New_York:20300521T190000', 'DTEND;TZID=America/New_York:20300521T200000', 'SUMMARY:Canvass night',
      'CATEGORIES:action', 'LOCATION:Union Hall\\, 12 Elm St\\, Columbus\\, OH', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n'),
  );
  const events = loadIcsText(text, 'moved.ics', { listTimezone: 'America/New_York', kinds: ['action'], defaultKind: 'action' }).events;
  const selection = selectWindow(events, windowFor('2030-05-06', 3, 'America/New_York'), { kinds: [], months: 0 });
  const may21 = selection.occurrences.find((o) => o.start.startsWith('2030-05-21'))!;
  assert.deepEqual(may21.location?.geo, { lat: 39.9612, lon: -82.9988 });
  // Corrections place that instance as the digest does (src/places/event-place.ts).
  assert.deepEqual(instanceAt(events[0], may21.recurrenceId).location?.geo, { lat: 39.9612, lon: -82.9988 });
  // Two entries, as before the retimed week: the Columbus series (May 21 among its changes) and the Cleveland week.
  assert.deepEqual(entryGroups(selection).map((g) => g.occurrences.map((o) => o.start.slice(0, 10))), [['2030-05-07', '2030-05-21'], ['2030-05-14']]);
});
