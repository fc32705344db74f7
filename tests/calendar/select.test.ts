// selectWindow: the seed's window, overlap and ongoing, cancellations, overrides, floating times,
// sorting and "save the date", checked through the select --json document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { event, loadYaml, selectJson } from '../helpers/events.ts';

const seed = () => loadYaml(readFileSync('data/events.yaml', 'utf8'), { path: 'data/events.yaml' }).events;

test('the seed week of 2016-11-28: the uprising (ongoing), the webinar, Blueprint; Chicago saved for later', () => {
  const json = selectJson(seed(), '2016-11-28');
  assert.deepEqual(json.window, { start: '2016-11-28T00:00:00-05:00', end: '2016-12-19T00:00:00-05:00', timezone: 'America/New_York' });
  assert.deepEqual(
    json.occurrences.map((o) => [o.eventId, o.kind, o.start, o.end, o.allDay, o.ongoing, o.timezone, o.location]),
    [
      ['nolameduck-uprising-2016', 'action', '2016-11-14', '2016-12-16', true, true, 'America/New_York', 'Washington, DC'],
      ['blueprint-for-a-great-democracy-2016', 'conference', '2016-12-06', '2016-12-07', true, false, 'America/New_York', 'Washington, DC'],
      ['revolv-webinar-2016-12-06', 'webinar', '2016-12-06T11:00:00-08:00', '2016-12-06T12:00:00-08:00', false, false, 'America/Los_Angeles', 'Online'],
    ],
  );
  assert.deepEqual(json.saveTheDate.map((o) => [o.eventId, o.start, o.end, o.location]), [
    ['future-of-left-and-independent-politics-2017', '2017-03-03', '2017-03-05', 'Chicago, IL'],
  ]);
});

test('the uprising is one campaign whose sessions skip the Thanksgiving break', () => {
  const uprising = selectJson(seed(), '2016-11-14', 3).occurrences.find((o) => o.eventId === 'nolameduck-uprising-2016');
  assert.ok(uprising && 'sessions' in uprising && uprising.sessions);
  const days = uprising.sessions.map((s) => s.start);
  assert.deepEqual(days.slice(0, 6), ['2016-11-14', '2016-11-15', '2016-11-16', '2016-11-17', '2016-11-18', '2016-11-28']);
  assert.equal(days.length, 5 + 5);
  assert.equal(uprising.ongoing, false);
  // During the break the campaign is still under way, with no session in that week.
  const breakWeek = selectJson(seed(), '2016-11-21', 1).occurrences.find((o) => o.eventId === 'nolameduck-uprising-2016');
  assert.ok(breakWeek && 'sessions' in breakWeek);
  assert.deepEqual(breakWeek.sessions, []);
  assert.equal(selectJson(seed(), '2016-12-19', 3).occurrences.length, 0);
});

test('multi-day events that began before the window are listed and flagged ongoing; ones that ended at its start are not', () => {
  const events = [
    event({ id: 'timed-ongoing', start: '2016-11-26T09:00', end: '2016-11-29T17:00' }),
    event({ id: 'allday-ongoing', start: '2016-11-25', end: '2016-11-28' }),
    event({ id: 'ended-at-start', start: '2016-11-27T20:00', end: '2016-11-28T00:00' }),
    event({ id: 'allday-ended', start: '2016-11-25', end: '2016-11-27' }),
    event({ id: 'starts-inside', start: '2016-12-18T23:00', end: '2016-12-19T02:00' }),
    event({ id: 'starts-at-end', start: '2016-12-19T00:00', end: '2016-12-19T02:00' }),
  ];
  const json = selectJson(events, '2016-11-28');
  assert.deepEqual(json.occurrences.map((o) => [o.eventId, o.ongoing]), [
    ['allday-ongoing', true],
    ['timed-ongoing', true],
    ['starts-inside', false],
  ]);
});

test('a recurring multi-day instance that began before the window is found (expansion starts a duration early)', () => {
  const ev = event({ start: '2016-11-04', end: '2016-11-07', recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=FR', exdates: [], rdates: [] } });
  const json = selectJson([ev], '2016-11-28', 1);
  assert.deepEqual(json.occurrences.map((o) => [o.start, o.end, o.ongoing]), [
    ['2016-11-25', '2016-11-28', true],
    ['2016-12-02', '2016-12-05', false],
  ]);
});

test('cancelled events and cancelled instances are gone; an override replaces its instance', () => {
  const series = event({
    id: 'weekly',
    title: 'Weekly meeting',
    start: '2016-11-01T19:00',
    end: '2016-11-01T20:00',
    recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=TU', exdates: [], rdates: [] },
    overrides: [
      { recurrenceId: '2016-11-29T19:00:00', status: 'cancelled' },
      { recurrenceId: '2016-12-06T19:00:00', start: '2016-12-07T18:00:00', end: '2016-12-07T19:30:00', title: 'Weekly meeting (moved to Wednesday)' },
      // Moved from outside the window (Dec 20) into it (Dec 16).
      { recurrenceId: '2016-12-20T19:00:00', start: '2016-12-16T18:00:00', end: '2016-12-16T19:00:00' },
    ],
  });
  const cancelled = event({ id: 'off', start: '2016-12-01T10:00', end: '2016-12-01T11:00', status: 'cancelled' });
  const json = selectJson([series, cancelled], '2016-11-28');
  assert.deepEqual(json.occurrences.map((o) => [o.start, o.end, o.title]), [
    ['2016-12-07T18:00:00-05:00', '2016-12-07T19:30:00-05:00', 'Weekly meeting (moved to Wednesday)'],
    ['2016-12-13T19:00:00-05:00', '2016-12-13T20:00:00-05:00', 'Weekly meeting'],
    ['2016-12-16T18:00:00-05:00', '2016-12-16T19:00:00-05:00', 'Weekly meeting'],
  ]);
  // And the moved instance is no longer at its old place in the following window.
  assert.deepEqual(selectJson([series], '2016-12-19', 1).occurrences.map((o) => o.start), []);
});

test('RDATE adds an instance; EXDATE wins over RDATE and RRULE', () => {
  const ev = event({
    start: '2016-11-29T19:00',
    end: '2016-11-29T20:00',
    recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3', exdates: ['2016-12-06T19:00:00', '2016-12-10T12:00:00'], rdates: ['2016-12-08T12:00:00', '2016-12-10T12:00:00'] },
  });
  assert.deepEqual(selectJson([ev], '2016-11-28').occurrences.map((o) => o.start), ['2016-11-29T19:00:00-05:00', '2016-12-08T12:00:00-05:00', '2016-12-13T19:00:00-05:00']);
});

test('floating times (no zone in the file) take the list zone', () => {
  const { events, findings } = loadYaml('events:\n  - title: Floating\n    start: 2016-12-01T18:00\n    end: 2016-12-01T19:00\n    location: Hall\n');
  assert.deepEqual(findings, []);
  assert.equal(events[0].timezone, 'America/New_York');
  assert.equal(selectJson(events, '2016-11-28').occurrences[0].start, '2016-12-01T18:00:00-05:00');
  const { events: berlin } = loadYaml('calendar:\n  timezone: Europe/Berlin\nevents:\n  - title: Floating\n    start: 2016-12-01T18:00\n    location: Hall\n');
  assert.equal(selectJson(berlin, '2016-11-28').occurrences[0].start, '2016-12-01T18:00:00+01:00');
});

test('occurrences are sorted by start, then title; all-day ones at midnight of their day', () => {
  const events = [
    event({ id: 'b', title: 'Bravo', start: '2016-12-01T09:00', end: '2016-12-01T10:00' }),
    event({ id: 'a', title: 'Alpha', start: '2016-12-01T09:00', end: '2016-12-01T10:00' }),
    event({ id: 'c', title: 'Charlie', start: '2016-12-01' }),
    event({ id: 'd', title: 'Delta', start: '2016-11-30T23:00', end: '2016-11-30T23:30', timezone: 'America/Los_Angeles' }),
  ];
  assert.deepEqual(selectJson(events, '2016-11-28').occurrences.map((o) => o.title), ['Charlie', 'Delta', 'Alpha', 'Bravo']);
});

test('save the date: conferences within six months after the window, unless marked otherwise', () => {
  const events = [
    event({ id: 'conf-soon', kind: 'conference', start: '2017-02-01', end: '2017-02-02' }),
    event({ id: 'conf-far', kind: 'conference', start: '2017-07-01', end: '2017-07-02' }),
    event({ id: 'conf-optout', kind: 'conference', start: '2017-01-10', saveTheDate: false }),
    event({ id: 'action-marked', kind: 'action', start: '2017-01-20T10:00', end: '2017-01-20T12:00', saveTheDate: true }),
    event({ id: 'action-plain', kind: 'action', start: '2017-01-21T10:00', end: '2017-01-21T12:00' }),
    event({ id: 'conf-now', kind: 'conference', start: '2016-12-10', end: '2016-12-11' }),
  ];
  const json = selectJson(events, '2016-11-28');
  assert.deepEqual(json.occurrences.map((o) => o.eventId), ['conf-now']);
  assert.deepEqual(json.saveTheDate.map((o) => o.eventId), ['action-marked', 'conf-soon']);
});

test('--tz moves the window, not the events', () => {
  const json = selectJson(seed(), '2016-11-28', 3, 'America/Los_Angeles');
  assert.deepEqual(json.window, { start: '2016-11-28T00:00:00-08:00', end: '2016-12-19T00:00:00-08:00', timezone: 'America/Los_Angeles' });
  assert.equal(json.occurrences.find((o) => o.kind === 'webinar')?.start, '2016-12-06T11:00:00-08:00');
});
