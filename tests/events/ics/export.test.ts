// The iCalendar export: its shape, its VTIMEZONEs as ical.js reads them, and the round trip through the loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { exportIcs, foldLine } from '../../../src/events/ics/export.ts';
import { loadIcsText } from '../../../src/events/ics/load.ts';
import type { Calendar, CalendarEvent } from '../../../src/events/model.ts';
import { icsSnapshot } from './tz-probe.ts';

const NOW = new Date('2017-01-01T12:00:00.123Z');
const OPTS = { listTimezone: 'America/Chicago', kinds: ['meetup', 'webinar', 'conference', 'workshop', 'social'], defaultKind: 'meetup' };
const source = { path: 'events.yaml', locate: () => ({ line: 1, col: 1 }) };

function ev(e: Partial<CalendarEvent> & Pick<CalendarEvent, 'id' | 'title' | 'start' | 'end' | 'timezone'>): CalendarEvent {
  return { kind: 'meetup', allDay: false, overrides: [], links: [], tags: [], status: 'confirmed', listAs: 'occurrences', source, ...e };
}

const CALENDAR: Calendar = {
  alliedCalendars: [
    { name: 'Friends', label: 'Friends; north', url: 'https://f.example/cal.ics' },
    { name: 'Other', url: 'https://o.example/x.ics' },
  ],
  events: [
    ev({
      id: 'js-weekly',
      title: 'Tea, cake; and \\o/ \nmore',
      start: '2016-10-04T19:00:00',
      end: '2016-10-04T21:00:00',
      timezone: 'America/New_York',
      description: `**Weekly** JS meetup — café, naïve résumés 🎉. ${'Long line; with, separators\\ '.repeat(6)}\n\nSee you!`,
      location: { venue: 'Library', address: '12 Elm St', city: 'Riverside', region: 'NY', country: 'US' },
      links: [{ label: 'Slides', url: '' }, { label: 'Register', url: 'https://r.example/a?b=1,2;c' }],
      tags: ['js', 'Beginner friendly'],
      organizer: 'js@riverside.example.org',
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20161216T235959Z', exdates: ['2016-10-25T19:00:00', '2016-11-22T19:00:00'], rdates: ['2016-12-20T19:00:00'] },
      overrides: [
        { recurrenceId: '2016-10-18T19:00:00', start: '2016-10-18T18:00:00' },
        { recurrenceId: '2016-11-29T19:00:00', status: 'cancelled' },
        {
          recurrenceId: '2016-11-01T19:00:00',
          title: 'Halloween special',
          end: '2016-11-01T22:00:00',
          description: 'Dress up',
          location: { online: true, url: 'https://zoom.example/j/1' },
          links: [{ label: 'Costumes', url: 'https://c.example' }],
        },
      ],
    }),
    ev({ id: 'fest', title: 'Summer Fest', allDay: true, start: '2016-07-01', end: '2016-07-03', timezone: 'Europe/Berlin', kind: 'conference', status: 'tentative', saveTheDate: true }),
    ev({ id: 'berlin', title: 'Berlin winter', start: '2016-01-12T19:00:00', end: '2016-01-12T21:00:00', timezone: 'Europe/Berlin', location: { venue: 'Hall', city: 'Berlin', region: 'BE' } }),
    ev({ id: 'utc', title: 'UTC call', start: '2016-11-15T17:00:00', end: '2016-11-15T18:30:00', timezone: 'UTC', kind: 'webinar' }),
    ev({ id: 'syd', title: 'Sydney', start: '2016-01-12T19:00:00', end: '2016-01-12T20:00:00', timezone: 'Australia/Sydney', organizer: 'Jane Doe', location: { online: true, url: 'https://meet.example/x' } }),
    ev({ id: 'tokyo', title: 'Tokyo', start: '2016-05-01T10:00:00', end: '2016-05-01T11:00:00', timezone: 'Asia/Tokyo', listAs: 'span', saveTheDate: false }),
    ev({
      id: 'camp',
      title: 'Camp',
      allDay: true,
      start: '2017-01-02',
      end: '2017-01-02',
      timezone: 'Europe/London',
      recurrence: { rrule: 'FREQ=DAILY;COUNT=5', exdates: ['2017-01-04'], rdates: [] },
      overrides: [{ recurrenceId: '2017-01-05', start: '2017-01-07', end: '2017-01-08' }],
    }),
  ],
};

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
/** The unfolded lines of the VEVENT (or override) with this UID and, optionally, RECURRENCE-ID value. */
function veventLines(ics: string, uid: string, recurrenceId?: string): string[] {
  const blocks = ics.replace(/\r\n[ \t]/g, '').split('BEGIN:VEVENT\r\n').slice(1).map((b) => b.split('\r\n'));
  const block = blocks.find((b) => b.includes(`UID:${uid}`) && (recurrenceId ? b.some((l) => l.startsWith('RECURRENCE-ID') && l.endsWith(recurrenceId)) : !b.some((l) => l.startsWith('RECURRENCE-ID'))));
  assert.ok(block, `no VEVENT ${uid} ${recurrenceId ?? ''}`);
  return block.slice(0, block.indexOf('END:VEVENT'));
}
const strip = (events: CalendarEvent[]) => events.map(({ source: _s, overrides, ...e }) => ({ ...e, overrides: overrides.map(({ locate: _l, ...o }) => o) }));

test('round trip: export then load gives the same events and allied calendars', () => {
  const r = loadIcsText(exportIcs(CALENDAR, { now: NOW }), 'out.ics', OPTS);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(strip(r.events), strip(CALENDAR.events));
  assert.deepEqual(r.alliedCalendars, CALENDAR.alliedCalendars);
});

test('round trip of the real-world fixtures', () => {
  for (const name of ['google-export.ics', 'outlook-export.ics', 'lightning-export.ics', 'unknown-tzid.ics']) {
    const first = loadIcsText(readFileSync(new URL(`../../fixtures/ics/${name}`, import.meta.url), 'utf8'), name, OPTS);
    const again = loadIcsText(exportIcs({ events: first.events, alliedCalendars: [] }, { now: NOW }), name, OPTS);
    assert.deepEqual(again.findings, [], name);
    assert.deepEqual(strip(again.events), strip(first.events), name);
  }
});

test('calendar header, CRLF endings and 75-octet folding', () => {
  const out = exportIcs(CALENDAR, { now: NOW, prodId: '-//Acme//Digest 1.0//EN', calendarName: 'Acme, events' });
  assert.ok(out.endsWith('END:VCALENDAR\r\n'));
  const physical = out.slice(0, -2).split('\r\n');
  assert.deepEqual(physical.slice(0, 6), ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Acme//Digest 1.0//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Acme\\, events']);
  for (const l of physical) {
    assert.ok(!l.includes('\n') && !l.includes('\r'), JSON.stringify(l));
    assert.ok(Buffer.byteLength(l) <= 75, `${Buffer.byteLength(l)} octets: ${l}`);
  }
  assert.ok(physical.some((l) => l.startsWith(' ')), 'the long description was folded');
  const plain = exportIcs(CALENDAR, { now: NOW });
  assert.ok(plain.includes('\r\nPRODID:-//event-digest//event-digest//EN\r\n'));
  assert.ok(!plain.includes('X-WR-CALNAME'));
  assert.equal(plain.split('BEGIN:VEVENT').length - 1, 7 + 4, 'one VEVENT per event and per override');
});

test('foldLine never splits a UTF-8 character and unfolds to the original', () => {
  const line = `DESCRIPTION:${'é'.repeat(100)}${'🎉'.repeat(30)}x`;
  const folded = foldLine(line);
  for (const l of folded.split('\r\n')) assert.ok(Buffer.byteLength(l) <= 75);
  assert.equal(folded.replace(/\r\n /g, ''), line);
  assert.ok(folded.split('\r\n').length >= 5);
});

test('VEVENT properties: escaping, dates, zones, recurrence, categories, our data', () => {
  const out = exportIcs(CALENDAR, { now: NOW });
  const js = veventLines(out, 'js-weekly');
  for (const expected of [
    'DTSTAMP:20170101T120000Z',
    'SUMMARY:Tea\\, cake\\; and \\\\o/ \\nmore',
    'DTSTART;TZID=America/New_York:20161004T190000',
    'DTEND;TZID=America/New_York:20161004T210000',
    'RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20161216T235959Z',
    'EXDATE;TZID=America/New_York:20161025T190000',
    'EXDATE;TZID=America/New_York:20161122T190000',
    'RDATE;TZID=America/New_York:20161220T190000',
    'STATUS:CONFIRMED',
    'LOCATION:Library\\, Riverside\\, NY',
    'URL:https://r.example/a?b=1,2;c',
    'CATEGORIES:meetup,js,Beginner friendly',
    'ORGANIZER:mailto:js@riverside.example.org',
  ]) assert.ok(js.includes(expected), `missing ${expected} in\n${js.join('\n')}`);
  const data = js.find((l) => l.startsWith('X-EVENT-DIGEST-DATA;VALUE=TEXT:'));
  assert.ok(data);
  const fest = veventLines(out, 'fest');
  assert.ok(fest.includes('DTSTART;VALUE=DATE:20160701') && fest.includes('DTEND;VALUE=DATE:20160704'), 'exclusive DTEND');
  assert.ok(fest.includes('STATUS:TENTATIVE') && fest.includes('CATEGORIES:conference'));
  const utc = veventLines(out, 'utc');
  assert.ok(utc.includes('DTSTART:20161115T170000Z') && utc.includes('DTEND:20161115T183000Z'));
  const syd = veventLines(out, 'syd');
  assert.ok(syd.includes('LOCATION:https://meet.example/x'));
  assert.ok(!syd.some((l) => l.startsWith('ORGANIZER')), 'a name without an address is not a cal-address');
  const camp = veventLines(out, 'camp');
  assert.ok(camp.includes('EXDATE;VALUE=DATE:20170104') && camp.includes('RRULE:FREQ=DAILY;COUNT=5'));
  const lines = unfold(out);
  assert.deepEqual(lines.filter((l) => l.startsWith('X-EVENT-DIGEST-ALLIED')), [
    'X-EVENT-DIGEST-ALLIED;VALUE=TEXT:{"name":"Friends"\\,"label":"Friends\\; north"\\,"url":"https://f.example/cal.ics"}',
    'X-EVENT-DIGEST-ALLIED;VALUE=TEXT:{"name":"Other"\\,"url":"https://o.example/x.ics"}',
  ]);
});

test('overrides: a full VEVENT with RECURRENCE-ID, the series length when no end, and the fields it sets', () => {
  const out = exportIcs(CALENDAR, { now: NOW });
  const moved = veventLines(out, 'js-weekly', '20161018T190000');
  for (const expected of [
    'RECURRENCE-ID;TZID=America/New_York:20161018T190000',
    'DTSTART;TZID=America/New_York:20161018T180000',
    'DTEND;TZID=America/New_York:20161018T200000',
    'SUMMARY:Tea\\, cake\\; and \\\\o/ \\nmore',
    'X-EVENT-DIGEST-DATA;VALUE=TEXT:{"v":1\\,"fields":["start"]}',
  ]) assert.ok(moved.includes(expected), `missing ${expected} in\n${moved.join('\n')}`);
  const cancelled = veventLines(out, 'js-weekly', '20161129T190000');
  assert.ok(cancelled.includes('STATUS:CANCELLED') && cancelled.includes('DTSTART;TZID=America/New_York:20161129T190000'));
  const camp = veventLines(out, 'camp', '20170105');
  assert.ok(camp.includes('RECURRENCE-ID;VALUE=DATE:20170105') && camp.includes('DTSTART;VALUE=DATE:20170107') && camp.includes('DTEND;VALUE=DATE:20170109'));
});

test('one VTIMEZONE per TZID used, with the transitions of the IANA data', () => {
  const out = exportIcs(CALENDAR, { now: NOW });
  const lines = unfold(out);
  const defined = lines.filter((l) => l.startsWith('TZID:')).map((l) => l.slice(5));
  const used = [...new Set(lines.map((l) => /;TZID=([^:;]+)/.exec(l)?.[1]).filter((z): z is string => z !== undefined))].sort();
  assert.deepEqual(defined, ['America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Europe/Berlin']);
  assert.deepEqual(used, defined);
  const block = (tzid: string) => out.slice(out.indexOf(`TZID:${tzid}`), out.indexOf('END:VTIMEZONE', out.indexOf(`TZID:${tzid}`)));
  const ny = block('America/New_York');
  assert.ok(ny.includes('BEGIN:DAYLIGHT\r\nDTSTART:20160313T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n'));
  assert.ok(ny.includes('BEGIN:STANDARD\r\nDTSTART:20161106T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n'));
  // From a year before the first event (2015) to a year after the last (2017), not beyond.
  assert.ok(ny.includes('DTSTART:20150101T000000\r\n') && ny.includes('DTSTART:20171105T020000'));
  assert.ok(!/DTSTART:201[48]/.test(ny));
  const syd = block('Australia/Sydney');
  assert.ok(syd.includes('BEGIN:STANDARD\r\nDTSTART:20160403T030000\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\n'));
  assert.ok(syd.includes('BEGIN:DAYLIGHT\r\nDTSTART:20161002T020000\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\n'));
  const berlin = block('Europe/Berlin');
  assert.ok(berlin.includes('BEGIN:DAYLIGHT\r\nDTSTART:20160327T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n'));
  const tokyo = block('Asia/Tokyo');
  assert.equal(tokyo.split('BEGIN:').length - 1, 1);
  assert.ok(tokyo.includes('BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n'));
});

test('an endless series gets VTIMEZONE transitions for 30 years, no more', () => {
  const endless = ev({ id: 'e', title: 'E', start: '2016-03-01T19:00:00', end: '2016-03-01T20:00:00', timezone: 'Europe/Berlin', recurrence: { rrule: 'FREQ=WEEKLY', exdates: [], rdates: [] } });
  const out = exportIcs({ events: [endless], alliedCalendars: [] }, { now: NOW });
  assert.ok(out.includes('DTSTART:20441030T030000'));
  assert.ok(!out.includes('DTSTART:2045'));
});

test('ical.js reads the generated VTIMEZONEs to the same instants as luxon, summer and winter', () => {
  const walls = ['2016-01-12T19:00:00', '2016-07-12T19:00:00', '2016-03-13T12:00:00', '2016-11-06T12:00:00', '2016-04-03T12:00:00', '2016-10-02T12:00:00'];
  const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Sydney'];
  const events = zones.flatMap((zone) => walls.map((w, i) => ev({ id: `${zone}-${i}`, title: 't', start: w, end: w, timezone: zone })));
  const out = exportIcs({ events, alliedCalendars: [] }, { now: NOW });
  const vcal = new ICAL.Component(ICAL.parse(out));
  const vtimezones = vcal.getAllSubcomponents('vtimezone');
  assert.equal(vtimezones.length, 3);
  try {
    for (const vtz of vtimezones) ICAL.TimezoneService.register(vtz);
    for (const vevent of vcal.getAllSubcomponents('vevent')) {
      const id = String(vevent.getFirstPropertyValue('uid'));
      const zone = zones.find((z) => id.startsWith(z)) as string;
      const wall = walls[Number(id.slice(zone.length + 1))];
      const expected = DateTime.fromISO(wall, { zone }).toSeconds();
      assert.equal(new ICAL.Event(vevent).startDate.toUnixTime(), expected, `${id} from the file's VTIMEZONE`);
      const viaService = ICAL.Time.fromDateTimeString(wall);
      viaService.zone = ICAL.TimezoneService.get(zone) as InstanceType<typeof ICAL.Timezone>;
      assert.equal(viaService.toUnixTime(), expected, `${id} through TimezoneService`);
    }
  } finally {
    for (const zone of zones) ICAL.TimezoneService.remove(zone);
  }
});

test('the process TZ does not change what is loaded or exported', () => {
  const here = icsSnapshot();
  const probe = fileURLToPath(new URL('./tz-probe.ts', import.meta.url));
  for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Auckland']) {
    const there = execFileSync(process.execPath, ['--import', 'tsx', probe], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    assert.equal(there, here, `TZ=${tz}`);
  }
});
