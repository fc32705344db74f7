// The iCalendar loader on small inline calendars: broken input, odd values, and our own X- properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadIcsText } from '../../../src/events/ics/load.ts';

const OPTS = { listTimezone: 'Europe/London', kinds: ['meetup', 'webinar', 'workshop'], defaultKind: 'meetup' };

/** A calendar around the given VEVENT lines; line 1 is BEGIN:VCALENDAR, the first given line is line 4. */
const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (...lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
const load = (text: string, opts = OPTS) => loadIcsText(text, 'inline.ics', opts);

test('structural errors are one "malformed iCalendar" error at the best line', () => {
  const cases: [string, number, RegExp][] = [
    ['', 1, /empty file/],
    ['hello world\nthis is not a calendar\n', 1, /without ":"/],
    ['BEGIN:VEVENT\nEND:VEVENT\n', 1, /expected BEGIN:VCALENDAR/],
    [cal(...vevent('UID:a', 'SUMMARY:x', 'DTSTART:20170101T100000Z'), 'END:VEVENT'), 9, /END:VEVENT does not close BEGIN:VCALENDAR/],
    [cal('BEGIN:VEVENT', 'UID:a', 'SUMMARY:x', 'END:VTODO'), 7, /END:VTODO does not close BEGIN:VEVENT at line 4/],
    ['BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n', 3, /BEGIN:VEVENT at line 3 is never closed/],
    [cal() + 'X-AFTER:the end\r\n', 5, /content outside/],
  ];
  for (const [text, lineNo, message] of cases) {
    const r = load(text);
    assert.deepEqual(r.events, [], JSON.stringify(text));
    assert.equal(r.findings.length, 1, JSON.stringify(text));
    const [f] = r.findings;
    assert.deepEqual([f.line, f.col, f.severity], [lineNo, 1, 'error'], JSON.stringify(text));
    assert.match(f.message, /^malformed iCalendar: /);
    assert.match(f.message, message);
  }
});

test('never throws, whatever the bytes', () => {
  const samples = ['\u0000\u0001\u0002', 'BEGIN:VCALENDAR\n\tBEGIN', ':::', 'BEGIN:VCALENDAR\nEND:VCALENDAR\nEND:VCALENDAR', '\uFEFF'];
  for (const s of samples) {
    const r = load(s);
    assert.ok(Array.isArray(r.findings) && r.findings.length > 0, JSON.stringify(s));
  }
  const empty = load('BEGIN:VCALENDAR\nEND:VCALENDAR\n');
  assert.deepEqual(empty, { events: [], alliedCalendars: [], findings: [] });
});

test('a bad RRULE or date spoils only its own event, reported at its line', () => {
  const r = load(
    cal(
      ...vevent('UID:bad-rule', 'SUMMARY:Bad rule', 'DTSTART:20170101T100000Z', 'RRULE:FREQ=FORTNIGHTLY'),
      ...vevent('UID:bad-date', 'SUMMARY:Bad date', 'DTSTART;TZID=Europe/Paris:20171399T100000'),
      ...vevent('UID:bad-exdate', 'SUMMARY:Bad exdate', 'DTSTART:20170101T100000Z', 'RRULE:FREQ=DAILY', 'EXDATE:2017-01-03'),
      ...vevent('UID:fine', 'SUMMARY:Fine', 'DTSTART:20170101T100000Z'),
    ),
  );
  assert.deepEqual(r.events.map((e) => e.id), ['fine']);
  assert.deepEqual(
    r.findings.map((f) => [f.line, f.severity, f.message.replace(/(RRULE: ).*/, '$1…')]),
    [
      [8, 'error', 'event UID bad-rule: invalid RRULE: …'],
      [13, 'error', 'event UID bad-date: invalid start "20171399T100000"'],
      [20, 'error', 'event UID bad-exdate: invalid EXDATE "2017-01-03"'],
    ],
  );
});

test('a line with no colon inside an event spoils that event only', () => {
  const r = load(cal(...vevent('UID:a', 'SUMMARY:Broken', 'DTSTART:20170101T100000Z', 'this line has no colon'), ...vevent('UID:b', 'SUMMARY:Fine', 'DTSTART:20170101T100000Z')));
  assert.deepEqual(r.events.map((e) => e.title), ['Fine']);
  assert.deepEqual(r.findings.map((f) => [f.line, f.severity, f.eventOnly, f.message]), [[8, 'error', true, 'event UID a: content line without ":" "this line has no colon"']]);
});

test('no UID: an id from the content and a warning; the same event exported again keeps its id', () => {
  const nameless = (stamp: string) => cal(...vevent('SUMMARY:Nameless', `DTSTAMP:${stamp}`, 'DTSTART:20170101T100000Z'));
  const r = load(nameless('20170101T000000Z'));
  assert.equal(r.events.length, 1);
  assert.match(r.events[0].id, /^no-uid-[0-9a-f]{16}$/);
  assert.deepEqual(r.findings.map((f) => [f.line, f.severity, f.message]), [[4, 'warning', `event UID ${r.events[0].id}: no UID; its id is derived from its content`]]);
  assert.equal(load(nameless('20180505T120000Z')).events[0].id, r.events[0].id);
});

test('a repeated UID keeps the highest SEQUENCE, then the latest DTSTAMP, then the later in the file', () => {
  const r = load(
    cal(
      ...vevent('UID:a', 'SEQUENCE:2', 'SUMMARY:One v2', 'DTSTART:20170101T100000Z'),
      ...vevent('UID:a', 'SEQUENCE:1', 'SUMMARY:One v1', 'DTSTART:20170102T100000Z'),
      ...vevent('UID:b', 'DTSTAMP:20170105T000000Z', 'SUMMARY:Two new', 'DTSTART:20170101T100000Z'),
      ...vevent('UID:b', 'DTSTAMP:20170101T000000Z', 'SUMMARY:Two old', 'DTSTART:20170101T100000Z'),
      ...vevent('UID:c', 'SUMMARY:Three first', 'DTSTART:20170101T100000Z'),
      ...vevent('UID:c', 'SUMMARY:Three again', 'DTSTART:20170101T100000Z'),
    ),
  );
  assert.deepEqual(r.events.map((e) => e.title), ['One v2', 'Two new', 'Three again']);
  assert.deepEqual(
    r.findings.map((f) => [f.line, f.severity, f.message]),
    [
      [10, 'warning', 'event UID a: another VEVENT with this UID is at line 4; this one (SEQUENCE 1) is an older revision and is ignored'],
      [22, 'warning', 'event UID b: another VEVENT with this UID is at line 16; this one (SEQUENCE 0) is an older revision and is ignored'],
      [28, 'warning', 'event UID c: an older revision of the event at line 33 (SEQUENCE 0 is kept)'],
    ],
  );
});

test('two overrides of one instance: the higher SEQUENCE wins wherever it is in the file', () => {
  const r = load(
    cal(
      ...vevent('UID:s', 'SUMMARY:Weekly', 'DTSTART:20170102T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=4'),
      ...vevent('UID:s', 'SEQUENCE:3', 'RECURRENCE-ID:20170109T100000Z', 'SUMMARY:Moved (final)', 'DTSTART:20170110T100000Z'),
      ...vevent('UID:s', 'SEQUENCE:1', 'RECURRENCE-ID:20170109T100000Z', 'SUMMARY:Moved (draft)', 'DTSTART:20170111T100000Z'),
    ),
  );
  assert.deepEqual(r.events[0].overrides.map((o) => [o.recurrenceId, o.title, o.start]), [['2017-01-09T10:00:00', 'Moved (final)', '2017-01-10T10:00:00']]);
  assert.equal(r.findings.length, 1);
  assert.match(r.findings[0].message, /another override of 2017-01-09T10:00:00 is at line 10 \(SEQUENCE 3\); this one is ignored/);
});

test("RDATE;VALUE=PERIOD keeps each instance's own length; an Exchange all-day RECURRENCE-ID with a zone matches its date", () => {
  const r = load(
    cal(
      ...vevent('UID:p', 'SUMMARY:Talks', 'DTSTART;TZID=Europe/Berlin:20180326T100000', 'DTEND;TZID=Europe/Berlin:20180326T110000', 'RDATE;VALUE=PERIOD;TZID=Europe/Berlin:20180327T140000/PT2H,20180328T090000/20180328T093000'),
      ...vevent('UID:d', 'SUMMARY:Day', 'DTSTART;VALUE=DATE:20260219', 'DTEND;VALUE=DATE:20260220', 'RRULE:FREQ=WEEKLY;COUNT=3'),
      ...vevent('UID:d', 'SUMMARY:Day (moved)', 'RECURRENCE-ID;TZID=W. Europe Standard Time:20260226T000000', 'DTSTART;VALUE=DATE:20260227', 'DTEND;VALUE=DATE:20260228'),
    ),
  );
  const [talks, day] = r.events;
  assert.deepEqual(talks.recurrence?.rdates, ['2018-03-27T14:00:00/2018-03-27T16:00:00', '2018-03-28T09:00:00/2018-03-28T09:30:00']);
  assert.deepEqual(day.overrides.map((o) => [o.recurrenceId, o.start]), [['2026-02-26', '2026-02-27']]);
  assert.deepEqual(r.findings, []);
});

test('missing ends: a timed event ends when it starts, an all-day event lasts one day', () => {
  const r = load(cal(...vevent('UID:t', 'SUMMARY:T', 'DTSTART;TZID=Europe/Paris:20170301T100000'), ...vevent('UID:d', 'SUMMARY:D', 'DTSTART;VALUE=DATE:20170301')));
  assert.deepEqual(
    r.events.map((e) => [e.start, e.end, e.timezone]),
    [
      ['2017-03-01T10:00:00', '2017-03-01T10:00:00', 'Europe/Paris'],
      ['2017-03-01', '2017-03-01', 'Europe/London'],
    ],
  );
});

test('DURATION across a DST change: days keep the wall time, hours are elapsed time', () => {
  const r = load(
    cal(
      ...vevent('UID:d', 'SUMMARY:D', 'DTSTART;TZID=America/New_York:20170311T120000', 'DURATION:P1D'),
      ...vevent('UID:h', 'SUMMARY:H', 'DTSTART;TZID=America/New_York:20170311T120000', 'DURATION:PT24H'),
    ),
  );
  assert.deepEqual(r.events.map((e) => e.end), ['2017-03-12T12:00:00', '2017-03-12T13:00:00']);
});

test('all-day series: EXDATEs and RECURRENCE-IDs are dates; a DATE EXDATE on a timed series means that day', () => {
  const r = load(
    cal(
      ...vevent('UID:ad', 'SUMMARY:Daily', 'DTSTART;VALUE=DATE:20170301', 'DTEND;VALUE=DATE:20170302', 'RRULE:FREQ=DAILY;COUNT=5', 'EXDATE;VALUE=DATE:20170302,20170303'),
      ...vevent('UID:ad', 'SUMMARY:Daily (moved)', 'RECURRENCE-ID;VALUE=DATE:20170304', 'DTSTART;VALUE=DATE:20170310', 'DTEND;VALUE=DATE:20170312'),
      ...vevent('UID:tm', 'SUMMARY:Timed', 'DTSTART;TZID=Europe/Paris:20170301T190000', 'RRULE:FREQ=DAILY', 'EXDATE;VALUE=DATE:20170302'),
      ...vevent('UID:ex', 'SUMMARY:Only exdates', 'DTSTART:20170301T190000Z', 'EXDATE:20170301T190000Z'),
    ),
  );
  const [daily, timed, onlyEx] = r.events;
  assert.deepEqual(daily.recurrence?.exdates, ['2017-03-02', '2017-03-03']);
  assert.deepEqual(daily.overrides.map(({ locate, ...o }) => o), [{ recurrenceId: '2017-03-04', title: 'Daily (moved)', start: '2017-03-10', end: '2017-03-11' }]);
  assert.deepEqual(timed.recurrence?.exdates, ['2017-03-02T19:00:00']);
  assert.deepEqual(onlyEx.recurrence, { exdates: ['2017-03-01T19:00:00'], rdates: [] });
});

test('a cancelled master is a cancelled event; RANGE=THISANDFUTURE is warned about', () => {
  const r = load(
    cal(
      ...vevent('UID:c', 'SUMMARY:Off', 'DTSTART:20170301T190000Z', 'STATUS:CANCELLED'),
      ...vevent('UID:s', 'SUMMARY:Series', 'DTSTART:20170301T190000Z', 'RRULE:FREQ=WEEKLY'),
      ...vevent('UID:s', 'SUMMARY:Series', 'RECURRENCE-ID;RANGE=THISANDFUTURE:20170315T190000Z', 'DTSTART:20170315T200000Z'),
    ),
  );
  assert.equal(r.events[0].status, 'cancelled');
  assert.deepEqual(r.events[1].overrides.map((o) => [o.recurrenceId, o.start]), [['2017-03-15T19:00:00', '2017-03-15T20:00:00']]);
  assert.deepEqual(r.findings.map((f) => [f.line, f.severity, f.message]), [
    [19, 'warning', 'event UID s: RANGE=THISANDFUTURE is not supported; only this instance is replaced'],
  ]);
});

test('X-WR-TIMEZONE with a Windows name maps; one nothing maps is warned about', () => {
  const win = load(cal('X-WR-TIMEZONE:W. Europe Standard Time', ...vevent('UID:a', 'SUMMARY:A', 'DTSTART:20170301T190000')));
  assert.equal(win.events[0].timezone, 'Europe/Berlin');
  const bad = load(cal('X-WR-TIMEZONE:Mars/Olympus_Mons', ...vevent('UID:a', 'SUMMARY:A', 'DTSTART:20170301T190000')));
  assert.equal(bad.events[0].timezone, 'Europe/London');
  assert.deepEqual(bad.findings.map((f) => [f.line, f.severity]), [[4, 'warning']]);
  assert.match(bad.findings[0].message, /^calendar: X-WR-TIMEZONE "Mars\/Olympus_Mons" is not a known time zone/);
});

test('X-EVENT-DIGEST-DATA wins over what the loader infers; X-EVENT-DIGEST-ALLIED gives allied calendars', () => {
  const data = JSON.stringify({
    v: 1,
    id: 'our-id',
    kind: 'workshop',
    location: { venue: 'Hall 2', city: 'Leeds', online: false },
    links: [{ label: 'Tickets', url: 'https://t.example' }],
    tags: ['beginner'],
    organizer: 'Jane',
    listAs: 'span',
    saveTheDate: true,
    unknownKey: 'ignored',
  }).replace(/[,;\\]/g, (c) => `\\${c}`);
  const r = load(
    cal(
      'X-EVENT-DIGEST-ALLIED;VALUE=TEXT:{"name":"Friends"\\,"label":"Friends\\; north"\\,"url":"https://f.example/cal.ics"}',
      'X-EVENT-DIGEST-ALLIED:not json',
      ...vevent('UID:their-uid', 'SUMMARY:S', 'DTSTART:20170301T190000Z', 'CATEGORIES:Webinar,Extra', 'LOCATION:https://x.example', 'URL:https://y.example', `X-EVENT-DIGEST-DATA;VALUE=TEXT:${data}`),
    ),
  );
  const [e] = r.events;
  assert.deepEqual(
    { id: e.id, kind: e.kind, location: e.location, links: e.links, tags: e.tags, organizer: e.organizer, listAs: e.listAs, saveTheDate: e.saveTheDate },
    {
      id: 'our-id',
      kind: 'workshop',
      location: { venue: 'Hall 2', city: 'Leeds', online: false },
      links: [{ label: 'Tickets', url: 'https://t.example' }],
      tags: ['beginner'],
      organizer: 'Jane',
      listAs: 'span',
      saveTheDate: true,
    },
  );
  assert.equal(e.source.uid, 'their-uid');
  assert.deepEqual(r.alliedCalendars, [{ name: 'Friends', label: 'Friends; north', url: 'https://f.example/cal.ics' }]);
  assert.deepEqual(r.findings.map((f) => [f.line, f.severity]), [[5, 'warning']]);
  assert.match(r.findings[0].message, /ignoring X-EVENT-DIGEST-ALLIED/);
});

test('categories: first configured kind (or plural) wins, case-insensitively; no match is the default kind', () => {
  const r = load(
    cal(
      ...vevent('UID:a', 'SUMMARY:A', 'DTSTART:20170301T190000Z', 'CATEGORIES:Python,WORKSHOPS', 'CATEGORIES:Webinar'),
      ...vevent('UID:b', 'SUMMARY:B', 'DTSTART:20170301T190000Z', 'CATEGORIES:Python\\, advanced,Data'),
    ),
  );
  assert.deepEqual(r.events.map((e) => [e.kind, e.tags]), [
    ['workshop', ['Python', 'Webinar']],
    ['meetup', ['Python, advanced', 'Data']],
  ]);
});
