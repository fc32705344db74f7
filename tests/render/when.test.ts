// When lines: the right zone for each reader and event, abbreviations right on both sides of a change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { dateList, dateRange, relativeDay, timeSpan, whenText } from '../../src/render/when.ts';
import { event } from '../helpers/events.ts';
import { seedEvents } from '../helpers/render.ts';

const win = windowFor('2016-11-28', 3, 'America/New_York');
const occ = (events: ReturnType<typeof seedEvents>, id: string, w = win) => {
  const o = selectWindow(events, w, { kinds: ['conference'], months: 6 }).occurrences.find((x) => x.eventId === id);
  assert.ok(o, id);
  return o;
};

test('the seed webinar: in the reader zone, with its own zone beside it when they differ', () => {
  const webinar = occ(seedEvents(), 'revolv-webinar-2016-12-06');
  assert.equal(whenText(webinar, 'America/New_York', win).when, 'Tue, Dec 6 · 2:00 – 3:00 PM EST (11:00 AM PST)');
  assert.equal(whenText(webinar, 'America/Los_Angeles', win).when, 'Tue, Dec 6 · 11:00 AM – 12:00 PM PST');
  assert.equal(whenText(webinar, 'Europe/Berlin', win).when, 'Tue, Dec 6 · 8:00 – 9:00 PM CET (11:00 AM PST)');
  assert.equal(whenText(webinar, 'Australia/Sydney', win).when, 'Wed, Dec 7 · 6:00 – 7:00 AM AEDT (Tue, Dec 6, 11:00 AM PST)');
  // Same offset, other zone name: no note.
  assert.equal(whenText(webinar, 'America/Vancouver', win).when, 'Tue, Dec 6 · 11:00 AM – 12:00 PM PST');
});

test('in-person events stay in the venue zone whatever the reader zone', () => {
  const ev = event({ id: 'rally', start: '2016-12-03T14:00', end: '2016-12-03T16:00', timezone: 'America/Chicago', location: { city: 'Chicago', region: 'IL' } });
  assert.equal(whenText(occ([ev], 'rally'), 'America/Los_Angeles', win).when, 'Sat, Dec 3 · 2:00 – 4:00 PM CST');
});

test('abbreviations follow the DST change: EDT before, EST after; CEST/CET; AEDT/AEST', () => {
  const weekly = (tz: string, start: string) =>
    event({ id: 'w', start, end: start.replace('T19:00', 'T20:00'), timezone: tz, location: { online: true }, recurrence: { rrule: 'FREQ=WEEKLY', exdates: [], rdates: [] } });
  const lines = (tz: string, start: string, asOf: string) => {
    const w = windowFor(asOf, 2, tz);
    return selectWindow([weekly(tz, start)], w, { kinds: [], months: 0 }).occurrences.map((o) => whenText(o, tz, w).when);
  };
  assert.deepEqual(lines('America/New_York', '2016-10-30T19:00', '2016-10-30'), ['Sun, Oct 30 · 7:00 – 8:00 PM EDT', 'Sun, Nov 6 · 7:00 – 8:00 PM EST']);
  assert.deepEqual(lines('Europe/Berlin', '2017-03-19T19:00', '2017-03-19'), ['Sun, Mar 19 · 7:00 – 8:00 PM CET', 'Sun, Mar 26 · 7:00 – 8:00 PM CEST']);
  assert.deepEqual(lines('Australia/Sydney', '2017-03-26T19:00', '2017-03-26'), ['Sun, Mar 26 · 7:00 – 8:00 PM AEDT', 'Sun, Apr 2 · 7:00 – 8:00 PM AEST']);
  // A New York reader of a Sydney webinar, the week both change (Sydney on Apr 2, New York already in EDT).
  const w = windowFor('2017-04-01', 1, 'America/New_York');
  const o = selectWindow([weekly('Australia/Sydney', '2017-03-26T19:00')], w, { kinds: [], months: 0 }).occurrences[0];
  assert.equal(whenText(o, 'America/New_York', w).when, 'Sun, Apr 2 · 5:00 – 6:00 AM EDT (7:00 PM AEST)');
});

test('all-day ranges, campaigns and ongoing events', () => {
  const events = seedEvents();
  assert.equal(whenText(occ(events, 'blueprint-for-a-great-democracy-2016'), 'America/New_York', win).when, 'Dec 6 – 7');
  const uprising = whenText(occ(events, 'nolameduck-uprising-2016'), 'America/Los_Angeles', win);
  assert.equal(uprising.when, 'Ongoing through Fri, Dec 16 · next session Mon, Nov 28');
  assert.equal(uprising.sessions, 'Sessions: Nov 28 – Dec 2, Dec 5 – 9, Dec 12 – 16');
  const ongoing = event({ id: 'camp', start: '2016-11-25', end: '2016-11-30', location: { city: 'Standing Rock' } });
  assert.equal(whenText(occ([ongoing], 'camp'), 'America/New_York', win).when, 'Ongoing through Wed, Nov 30');
  const night = event({ id: 'night', start: '2016-12-02T22:00', end: '2016-12-03T02:00', location: { city: 'NYC' } });
  assert.equal(whenText(occ([night], 'night'), 'America/New_York', win).when, 'Fri, Dec 2, 10:00 PM EST – Sat, Dec 3, 2:00 AM EST');
  assert.equal(dateRange('2017-03-03', '2017-03-05', 2016), 'Mar 3 – 5, 2017');
  assert.equal(dateRange('2016-11-30', '2016-12-02', 2016), 'Nov 30 – Dec 2');
  assert.equal(dateRange('2016-12-30', '2017-01-02', 2016), 'Dec 30, 2016 – Jan 2, 2017');
});

test('one meridiem when both ends share it; the zone twice only when it changes between them', () => {
  const at = (iso: string) => Date.parse(iso);
  assert.equal(timeSpan(at('2016-12-06T00:30:00Z'), at('2016-12-06T02:00:00Z'), 'America/Chicago'), '6:30 – 8:00 PM CST');
  assert.equal(timeSpan(at('2016-12-06T17:00:00Z'), at('2016-12-06T19:00:00Z'), 'America/New_York'), '12:00 – 2:00 PM EST');
  assert.equal(timeSpan(at('2016-12-06T16:00:00Z'), at('2016-12-06T18:00:00Z'), 'America/New_York'), '11:00 AM – 1:00 PM EST');
  // The fall-back night: 1:30 EDT to 1:30 EST.
  assert.equal(timeSpan(at('2016-11-06T05:30:00Z'), at('2016-11-06T06:30:00Z'), 'America/New_York'), '1:30 AM EDT – 1:30 AM EST');
  assert.equal(timeSpan(at('2016-12-06T17:00:00Z'), at('2016-12-06T17:00:00Z'), 'America/New_York'), '12:00 PM EST');
});

test('relative cues from the send date: Today, Tomorrow, This Saturday, then nothing', () => {
  assert.equal(relativeDay('2016-11-28', '2016-11-28'), 'Today');
  assert.equal(relativeDay('2016-11-29', '2016-11-28'), 'Tomorrow');
  assert.equal(relativeDay('2016-12-03', '2016-11-28'), 'This Saturday');
  assert.equal(relativeDay('2016-12-04', '2016-11-28'), 'This Sunday');
  assert.equal(relativeDay('2016-12-05', '2016-11-28'), undefined);
  assert.equal(relativeDay('2016-11-27', '2016-11-28'), undefined);
  assert.equal(dateList(['2016-12-08', '2016-12-15', '2016-12-22']), 'Dec 8, 15, 22');
  assert.equal(dateList(['2016-11-29', '2016-12-06', '2016-12-13']), 'Nov 29, Dec 6, 13');
});
