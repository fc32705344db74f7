// The iCalendar loader against hand-written Google, Outlook and Lightning exports and broken files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadIcsText, type IcsLoadResult } from '../../../src/events/ics/load.ts';
import type { CalendarEvent } from '../../../src/events/model.ts';
import { zoneDisplayName, zoneFor } from '../../../src/calendar/zones.ts';

const OPTS = { listTimezone: 'Europe/London', kinds: ['meetup', 'webinar', 'conference', 'workshop', 'social'], defaultKind: 'meetup' };

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/ics/${name}`, import.meta.url), 'utf8');
}

function load(name: string, opts = OPTS): IcsLoadResult {
  return loadIcsText(fixture(name), `tests/fixtures/ics/${name}`, opts);
}

function byTitle(r: IcsLoadResult, title: string): CalendarEvent {
  const e = r.events.find((x) => x.title === title);
  assert.ok(e, `no event titled ${title}; got ${r.events.map((x) => x.title).join(', ')}`);
  return e;
}

const line = (e: { source: CalendarEvent['source'] }, ...path: (string | number)[]) => e.source.locate(path).line;

test('google: every VEVENT loads, overrides attach to their series, nothing is reported', () => {
  const r = load('google-export.ics');
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.alliedCalendars, []);
  assert.deepEqual(
    r.events.map((e) => e.id),
    [
      '5q8bnc0ml6t7mcdrk1hq3lc8sk@google.com',
      '0hb5v3gq2l1o9c7n2p4s6u8w0y@google.com',
      '3f9a1c2e7d@google.com',
      '7ks9d2m4p6r8t0v2x4z6b8d0f2@google.com',
      '1a2b3c4d5e6f7g8h9i0j@google.com',
    ],
  );
});

test('google: weekly series keeps its zone, raw RRULE, and EXDATEs across the DST change', () => {
  const e = byTitle(load('google-export.ics'), 'Riverside JS Meetup');
  assert.equal(e.timezone, 'America/New_York');
  assert.equal(e.allDay, false);
  assert.equal(e.start, '2016-10-04T19:00:00');
  assert.equal(e.end, '2016-10-04T21:00:00');
  assert.deepEqual(e.recurrence, {
    rrule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20161216T235959Z',
    // The last one was written as 20161123T000000Z: after the November change that is 19:00 EST.
    exdates: ['2016-10-25T19:00:00', '2016-11-08T19:00:00', '2016-11-22T19:00:00'],
    rdates: [],
  });
  assert.equal(e.kind, 'meetup');
  assert.deepEqual(e.tags, []);
  assert.equal(e.status, 'confirmed');
  assert.equal(e.listAs, 'occurrences');
  assert.deepEqual(e.links, [{ label: 'Website', url: 'https://riverside.example.org/js' }]);
  assert.deepEqual(e.location, { venue: 'Riverside Public Library, Room 204, 12 Elm St, Riverside' });
  assert.equal(e.organizer, 'Riverside Tech Community');
  // Folded mid-escape ("\" then " n"), with escaped commas; the VALARM's DESCRIPTION is not the event's.
  assert.equal(
    e.description,
    'Weekly JavaScript meetup: lightning talks, pairing and pizza.\n\nNew here? Read the code of conduct first: ' +
      'https://riverside.example.org/coc\nNo meetup on election day or in Thanksgiving week.',
  );
  assert.deepEqual(e.source.uid, '5q8bnc0ml6t7mcdrk1hq3lc8sk@google.com');
  assert.equal(e.source.path, 'tests/fixtures/ics/google-export.ics');
});

test('google: RECURRENCE-ID instances become overrides in the master zone, the cancelled one flagged', () => {
  const e = byTitle(load('google-export.ics'), 'Riverside JS Meetup');
  const overrides = e.overrides.map(({ locate, ...o }) => o);
  assert.deepEqual(overrides, [
    {
      recurrenceId: '2016-10-18T19:00:00',
      title: 'Riverside JS Meetup (early start)',
      start: '2016-10-18T18:00:00',
      end: '2016-10-18T20:00:00',
      status: 'confirmed',
      description: 'Doors open at 17:45. We start an hour early this week because the room is booked at 20:00.',
      location: { venue: 'Riverside Public Library, Room 204, 12 Elm St, Riverside' },
    },
    {
      recurrenceId: '2016-11-29T19:00:00',
      title: 'Riverside JS Meetup',
      start: '2016-11-29T19:00:00',
      end: '2016-11-29T21:00:00',
      status: 'cancelled',
      location: { venue: 'Riverside Public Library, Room 204, 12 Elm St, Riverside' },
    },
  ]);
});

test('google: locate gives the physical line of each property, before unfolding', () => {
  const e = byTitle(load('google-export.ics'), 'Riverside JS Meetup');
  assert.deepEqual(e.source.locate(['title']), { line: 85, col: 1 });
  assert.equal(line(e, 'start'), 65);
  assert.equal(line(e, 'end'), 66);
  assert.equal(line(e, 'recurrence'), 67);
  assert.equal(line(e, 'recurrence', 'exdates', 1), 68);
  assert.equal(line(e, 'recurrence', 'exdates', 2), 69);
  assert.equal(line(e, 'description'), 78);
  assert.equal(line(e, 'location'), 82);
  assert.equal(line(e, 'status'), 84);
  assert.equal(line(e, 'links', 0, 'url'), 87);
  assert.equal(line(e, 'kind'), 64, 'no CATEGORIES: the BEGIN:VEVENT line');
  // Overrides: through the master's path, and their own locate.
  assert.equal(line(e, 'overrides', 0, 'start'), 47);
  assert.equal(line(e, 'overrides', 0, 'title'), 61);
  assert.equal(line(e, 'overrides', 1), 94);
  assert.equal(e.overrides[1].locate?.(['status']).line, 105);
  const conf = byTitle(load('google-export.ics'), 'DevFest Riverside 2016');
  assert.equal(line(conf, 'kind'), 124);
  assert.equal(line(conf, 'links'), 109);
});

test('google: all-day conference ends the day before its exclusive DTEND; "Conferences" is the kind', () => {
  const e = byTitle(load('google-export.ics'), 'DevFest Riverside 2016');
  assert.equal(e.allDay, true);
  assert.equal(e.start, '2016-10-21');
  assert.equal(e.end, '2016-10-22');
  assert.equal(e.timezone, 'America/New_York', 'dates take X-WR-TIMEZONE');
  assert.equal(e.kind, 'conference');
  assert.deepEqual(e.tags, ['Community']);
  assert.deepEqual(e.location, { venue: 'Riverside Convention Center, 100 Main St, Riverside, NY' });
  assert.equal(e.recurrence, undefined);
});

test('google: floating times take X-WR-TIMEZONE, else the list zone; UTC times move to X-WR-TIMEZONE', () => {
  const r = load('google-export.ics');
  const hack = byTitle(r, 'Hack Night');
  assert.deepEqual([hack.timezone, hack.start, hack.end, hack.status], ['America/New_York', '2016-10-27T18:00:00', '2016-10-27T21:30:00', 'tentative']);
  const lunch = byTitle(r, 'Lunch & Learn: Accessibility Basics');
  assert.deepEqual([lunch.timezone, lunch.start, lunch.end], ['America/New_York', '2016-11-15T12:00:00', '2016-11-15T13:30:00']);
  assert.deepEqual(lunch.location, { online: true, url: 'https://riverside.example.org/live' });

  const withoutWr = fixture('google-export.ics').replace('X-WR-TIMEZONE:America/New_York\n', '');
  const r2 = loadIcsText(withoutWr, 'g.ics', { ...OPTS, listTimezone: 'America/Chicago' });
  const hack2 = byTitle(r2, 'Hack Night');
  assert.deepEqual([hack2.timezone, hack2.start], ['America/Chicago', '2016-10-27T18:00:00']);
  const lunch2 = byTitle(r2, 'Lunch & Learn: Accessibility Basics');
  assert.deepEqual([lunch2.timezone, lunch2.start, lunch2.end], ['UTC', '2016-11-15T17:00:00', '2016-11-15T18:30:00']);
  assert.equal(byTitle(r2, 'DevFest Riverside 2016').timezone, 'America/Chicago');
});

test('google: webinar category, Los Angeles zone and Google Meet link', () => {
  const e = byTitle(load('google-export.ics'), 'Serverless in Practice');
  assert.deepEqual([e.kind, e.timezone, e.start, e.end], ['webinar', 'America/Los_Angeles', '2016-11-09T11:00:00', '2016-11-09T12:00:00']);
  assert.deepEqual(e.tags, ['Cloud']);
  assert.deepEqual(e.location, { online: true, url: 'https://meet.google.com/abc-defg-hij' });
  assert.equal(e.organizer, 'Cloud Native Learning Group');
});

test('outlook: Windows zone names map to IANA, CRLF lines are counted right', () => {
  const text = fixture('outlook-export.ics');
  assert.ok(text.includes('\r\n') && !/[^\r]\n/.test(text), 'the fixture really uses CRLF');
  const r = load('outlook-export.ics');
  assert.deepEqual(r.findings, []);
  const call = byTitle(r, 'Chapter Leads Monthly Call');
  assert.equal(call.id, '040000008200E00074C5B7101A82E00800000000D0F3A9B1C465D201000000000000000010000000A4F2C8E7B1D3E54F8A6C2D9E0B7F1A35');
  assert.deepEqual([call.timezone, call.start, call.end], ['America/New_York', '2017-01-05T18:00:00', '2017-01-05T19:00:00']);
  assert.deepEqual(call.recurrence, {
    rrule: 'FREQ=MONTHLY;UNTIL=20170601T220000Z;INTERVAL=1;BYDAY=1TH',
    exdates: ['2017-04-06T18:00:00'],
    rdates: [],
  });
  assert.equal(call.kind, 'meetup', '"Meetups" is the plural of a kind');
  assert.equal(call.organizer, 'Dana Whitfield');
  assert.deepEqual([line(call, 'title'), line(call, 'start'), line(call, 'end'), line(call, 'recurrence'), line(call, 'kind')], [69, 61, 59, 67, 47]);
  assert.equal(line(call, 'recurrence', 'exdates', 0), 62);
  const social = byTitle(r, 'Berlin Sprint Social');
  assert.deepEqual([social.timezone, social.start, social.end], ['Europe/Berlin', '2017-03-28T19:00:00', '2017-03-28T21:00:00']);
});

test('outlook: a Teams meeting is online, with the join URL from the description', () => {
  const call = byTitle(load('outlook-export.ics'), 'Chapter Leads Monthly Call');
  assert.deepEqual(call.location, {
    venue: 'Microsoft Teams Meeting',
    online: true,
    url:
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ1ZTk2YjEtMGE4Ni00ZjJkLWI1YzEtOWE0ZGM0NzU2YjQx' +
      '%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%7d',
  });
});

test('outlook: one-day all-day event, DTEND in another zone, categories', () => {
  const r = load('outlook-export.ics', { ...OPTS, listTimezone: 'America/Chicago' });
  const ws = byTitle(r, 'Löt-Workshop für Einsteiger');
  assert.deepEqual([ws.allDay, ws.start, ws.end, ws.timezone], [true, '2017-02-20', '2017-02-20', 'America/Chicago']);
  assert.equal(ws.kind, 'workshop');
  assert.deepEqual(ws.tags, ['Green Category']);
  // 08:00 in Berlin (CET, before its 26 March change) is 03:00 in New York (EDT since 12 March).
  const trip = byTitle(r, 'Travel to the Berlin sprint');
  assert.deepEqual([trip.timezone, trip.start, trip.end], ['America/New_York', '2017-03-24T18:00:00', '2017-03-25T03:00:00']);
});

test('lightning: prefixed and X-LIC-LOCATION TZIDs, DURATION, RDATE, orphan instance', () => {
  const r = load('lightning-export.ics');
  assert.deepEqual(r.findings, []);
  const circle = byTitle(r, 'Code Review Circle');
  assert.deepEqual([circle.timezone, circle.start, circle.end, circle.kind], ['Europe/Berlin', '2017-03-01T19:00:00', '2017-03-01T20:30:00', 'social']);
  assert.deepEqual(circle.recurrence, {
    rrule: 'FREQ=WEEKLY;COUNT=6;BYDAY=WE',
    exdates: ['2017-03-22T19:00:00'],
    // 16:00Z on 12 April is 18:00 CEST.
    rdates: ['2017-04-06T18:00:00', '2017-04-12T18:00:00'],
  });
  assert.equal(line(circle, 'recurrence', 'rdates', 1), 66);
  assert.equal(line(circle, 'end'), 68, 'DURATION stands in for DTEND');
  assert.equal(byTitle(r, 'Spring Planning Session').timezone, 'America/New_York');
  assert.equal(byTitle(r, 'Lisbon Community Dinner').timezone, 'Europe/Lisbon');
  const hack = byTitle(r, 'Hackathon Weekend');
  assert.deepEqual([hack.allDay, hack.start, hack.end], [true, '2017-04-21', '2017-04-23']);
  const moved = byTitle(r, 'Board Meeting (moved)');
  assert.equal(moved.id, '0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9@2017-03-14T19:00:00');
  assert.equal(moved.source.uid, '0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9');
  assert.deepEqual([moved.start, moved.end, moved.recurrence], ['2017-03-16T19:00:00', '2017-03-16T21:00:00', undefined]);
});

test('malformed structure: one error at the line where it breaks, no events', () => {
  const r = load('malformed.ics');
  assert.deepEqual(r.events, []);
  assert.deepEqual(r.findings, [
    {
      path: 'tests/fixtures/ics/malformed.ics',
      line: 12,
      col: 1,
      severity: 'error',
      message: 'malformed iCalendar: BEGIN:VEVENT inside VEVENT begun at line 5 (missing END:VEVENT?)',
    },
  ]);
});

test('missing DTSTART is an error for that event (the others kept); missing SUMMARY is "(untitled)" and a warning', () => {
  const noStart = load('missing-start.ics');
  assert.deepEqual(noStart.events.map((e) => e.id), ['board-2001@events.riverside.example.org']);
  assert.deepEqual(noStart.findings, [
    { path: 'tests/fixtures/ics/missing-start.ics', line: 14, col: 1, severity: 'error', message: 'event UID board-2002@events.riverside.example.org: missing start', eventOnly: true },
  ]);
  const noTitle = load('missing-summary.ics');
  assert.deepEqual(noTitle.events.map((e) => e.title), ['(untitled)', 'Go Meetup']);
  assert.deepEqual(noTitle.findings, [
    { path: 'tests/fixtures/ics/missing-summary.ics', line: 6, col: 1, severity: 'warning', message: 'event UID board-3001@events.riverside.example.org: no SUMMARY; listed as (untitled)' },
  ]);
});

test("a TZID only the file's VTIMEZONE defines is that zone, shown under its TZID", () => {
  const r = load('unknown-tzid.ics');
  assert.deepEqual(r.findings, []);
  const e = byTitle(r, 'Campus Open Day');
  assert.deepEqual([zoneDisplayName(e.timezone), e.start, e.end], ['(UTC+01:00) Contoso Campus Time', '2017-03-17T10:00:00', '2017-03-17T12:00:00']);
  assert.equal(zoneFor(e.timezone).offset(Date.UTC(2017, 6, 1)), 60);
});

test('a TZID with neither a definition nor a known name is kept raw for the time-zone rule to report', () => {
  const text = fixture('unknown-tzid.ics').replace(/BEGIN:VTIMEZONE[\s\S]*END:VTIMEZONE\r?\n/, '');
  const e = loadIcsText(text, 'x.ics', OPTS).events[0];
  assert.equal(e.timezone, '(UTC+01:00) Contoso Campus Time');
});
