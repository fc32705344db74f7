// A weekly 19:00 event stays at 19:00 local across the US, EU and Australian changes; EXDATEs and
// UNTIL work across them. Run under several process zones by npm test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { event, selectJson } from '../helpers/events.ts';

const starts = (json: ReturnType<typeof selectJson>) => json.occurrences.map((o) => o.start);

const weeklySunday = (start: string, timezone: string, extra: Partial<Parameters<typeof event>[0]> = {}) =>
  event({ start, end: start.replace('T19:00', 'T21:00'), timezone, recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU', exdates: [], rdates: [] }, ...extra });

test('US spring forward: 19:00 before and after, offset changes from -05:00 to -04:00', () => {
  const ev = weeklySunday('2017-02-26T19:00', 'America/New_York');
  assert.deepEqual(starts(selectJson([ev], '2017-03-05', 3)), ['2017-03-05T19:00:00-05:00', '2017-03-12T19:00:00-04:00', '2017-03-19T19:00:00-04:00']);
  const json = selectJson([ev], '2017-03-05', 3);
  assert.deepEqual(json.occurrences.map((o) => o.end), ['2017-03-05T21:00:00-05:00', '2017-03-12T21:00:00-04:00', '2017-03-19T21:00:00-04:00']);
});

test('US fall back: 19:00 before and after', () => {
  const ev = weeklySunday('2016-10-23T19:00', 'America/New_York');
  assert.deepEqual(starts(selectJson([ev], '2016-10-30', 2)), ['2016-10-30T19:00:00-04:00', '2016-11-06T19:00:00-05:00']);
});

test('EU changes (Europe/Berlin): 19:00 before and after both', () => {
  const spring = weeklySunday('2017-03-12T19:00', 'Europe/Berlin');
  assert.deepEqual(starts(selectJson([spring], '2017-03-19', 3, 'Europe/Berlin')), ['2017-03-19T19:00:00+01:00', '2017-03-26T19:00:00+02:00', '2017-04-02T19:00:00+02:00']);
  const autumn = weeklySunday('2016-10-16T19:00', 'Europe/Berlin');
  assert.deepEqual(starts(selectJson([autumn], '2016-10-23', 2, 'Europe/Berlin')), ['2016-10-23T19:00:00+02:00', '2016-10-30T19:00:00+01:00']);
});

test('Australian changes (Australia/Sydney): 19:00 before and after both', () => {
  const april = weeklySunday('2017-03-19T19:00', 'Australia/Sydney');
  assert.deepEqual(starts(selectJson([april], '2017-03-26', 3, 'Australia/Sydney')), ['2017-03-26T19:00:00+11:00', '2017-04-02T19:00:00+10:00', '2017-04-09T19:00:00+10:00']);
  const october = weeklySunday('2017-09-10T19:00', 'Australia/Sydney');
  assert.deepEqual(starts(selectJson([october], '2017-09-24', 2, 'Australia/Sydney')), ['2017-09-24T19:00:00+10:00', '2017-10-01T19:00:00+11:00']);
});

test('a window in one zone lists an event of another zone at its own offset', () => {
  const ev = weeklySunday('2017-03-19T19:00', 'Australia/Sydney');
  // Sunday 19:00 in Sydney is Sunday morning in New York: the NY window Apr 2-9 holds the Apr 2 instance.
  assert.deepEqual(starts(selectJson([ev], '2017-04-02', 1, 'America/New_York')), ['2017-04-02T19:00:00+10:00']);
  assert.deepEqual(starts(selectJson([ev], '2017-04-01', 1, 'America/New_York')), ['2017-04-02T19:00:00+10:00']);
});

test('EXDATE on the day of the change removes exactly that instance, in every zone', () => {
  for (const [zone, series, day, asOf, rest] of [
    ['America/New_York', '2017-02-26T19:00', '2017-03-12T19:00:00', '2017-03-05', ['2017-03-05T19:00:00-05:00', '2017-03-19T19:00:00-04:00']],
    ['Europe/Berlin', '2017-03-12T19:00', '2017-03-26T19:00:00', '2017-03-19', ['2017-03-19T19:00:00+01:00', '2017-04-02T19:00:00+02:00']],
    ['Australia/Sydney', '2017-03-19T19:00', '2017-04-02T19:00:00', '2017-03-26', ['2017-03-26T19:00:00+11:00', '2017-04-09T19:00:00+10:00']],
  ] as const) {
    const ev = weeklySunday(series, zone, { recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU', exdates: [day], rdates: [] } });
    assert.deepEqual(starts(selectJson([ev], asOf, 3, zone)), rest, zone);
  }
});

test('UNTIL in UTC is compared as an instant: 19:00 EST on Dec 13 is after 23:59:59Z that day', () => {
  const mk = (until: string) =>
    event({ start: '2016-11-29T19:00', end: '2016-11-29T20:00', recurrence: { rrule: `FREQ=WEEKLY;BYDAY=TU;UNTIL=${until}`, exdates: [], rdates: [] } });
  assert.deepEqual(starts(selectJson([mk('20161213T235959Z')], '2016-11-28', 3)), ['2016-11-29T19:00:00-05:00', '2016-12-06T19:00:00-05:00']);
  assert.deepEqual(starts(selectJson([mk('20161214T000000Z')], '2016-11-28', 3)), ['2016-11-29T19:00:00-05:00', '2016-12-06T19:00:00-05:00', '2016-12-13T19:00:00-05:00']);
});

test('a daily 02:30 falls in the spring-forward gap on one day only: moved to 03:30 that day', () => {
  const ev = event({ start: '2017-03-10T02:30', end: '2017-03-10T03:00', recurrence: { rrule: 'FREQ=DAILY;COUNT=4', exdates: [], rdates: [] } });
  assert.deepEqual(starts(selectJson([ev], '2017-03-10', 1)), ['2017-03-10T02:30:00-05:00', '2017-03-11T02:30:00-05:00', '2017-03-12T03:30:00-04:00', '2017-03-13T02:30:00-04:00']);
});

test('a daily 01:30 on the fall-back night is the first 01:30 (RFC 5545)', () => {
  const ev = event({ start: '2016-11-05T01:30', end: '2016-11-05T01:45', recurrence: { rrule: 'FREQ=DAILY;COUNT=3', exdates: [], rdates: [] } });
  assert.deepEqual(starts(selectJson([ev], '2016-11-05', 1)), ['2016-11-05T01:30:00-04:00', '2016-11-06T01:30:00-04:00', '2016-11-07T01:30:00-05:00']);
});

test('an all-day monthly series (first Thursday) with an excluded date, across a change', () => {
  const ev = event({ start: '2016-10-06', end: '2016-10-06', kind: 'action', recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=1TH', exdates: ['2016-12-01'], rdates: [] } });
  assert.deepEqual(starts(selectJson([ev], '2016-10-31', 12)), ['2016-11-03', '2017-01-05']);
});
