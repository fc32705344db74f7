// Rules that repeat every second, never meet or count past what is expanded: bounded, computed, and reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rrulePkg from 'rrule';
import { wallInstances } from '../../src/calendar/recurrence.ts';
import { cutFindings, selectWindow, WINDOW_TOTAL_FACTOR } from '../../src/calendar/select.ts';
import { wallToFloatingMs } from '../../src/calendar/wall-time.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { formatFinding } from '../../src/events/finding.ts';
import { loadCalendar } from '../../src/events/sources.ts';
import { event } from '../helpers/events.ts';

const { RRule } = rrulePkg;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** CPU time (all threads) of `fn`, in ms: less at the mercy of a busy machine than the wall clock. */
function cpuMs<T>(fn: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}

function icsFile(events: { uid: string; rrule: string; start?: string }[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//event-digest//hostile//EN'];
  for (const e of events) lines.push('BEGIN:VEVENT', `UID:${e.uid}`, `SUMMARY:${e.uid}`, `DTSTART:${e.start ?? '20240101T090000Z'}`, 'LOCATION:Online', `RRULE:${e.rrule}`, 'END:VEVENT');
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
async function load(name: string, text: string) {
  writeFileSync(join(dir, name), text);
  return loadCalendar([name], { cwd: dir, listTimezone: 'UTC', kinds: ['action'], defaultKind: 'action', nowMs: Date.UTC(2026, 0, 1) });
}

const SUB_DAILY = [
  'FREQ=HOURLY;INTERVAL=5',
  'FREQ=HOURLY;BYHOUR=9,17;BYMINUTE=0,30',
  'FREQ=HOURLY;BYDAY=MO,FR;BYMONTHDAY=1,2,3,13,-1',
  'FREQ=MINUTELY;INTERVAL=90;BYDAY=MO',
  'FREQ=MINUTELY;INTERVAL=7;BYHOUR=12;BYSECOND=15,45',
  'FREQ=SECONDLY;INTERVAL=1800;BYMONTH=2,3',
  'FREQ=SECONDLY;INTERVAL=15;BYHOUR=9;BYMINUTE=0,1;BYSECOND=10,25,40',
  'FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=100',
  'FREQ=HOURLY;INTERVAL=3;COUNT=500',
  'FREQ=MINUTELY;INTERVAL=45;UNTIL=20230305T000000',
];

/**
 * RFC 5545 read literally: every period from DTSTART, one by one, its BY parts checked. rrule.js
 * is no reference for one shape: when BYHOUR skips hours of a MINUTELY or SECONDLY rule, it adds
 * whole hours and loses the INTERVAL's alignment with DTSTART (python-dateutil keeps it).
 */
function literalStarts(rule: string, startF: number, toF: number): number[] {
  const o = new RRule({ ...RRule.parseString(rule), dtstart: new Date(startF), tzid: null }).options;
  const unit = { 4: HOUR, 5: 60_000, 6: 1000 }[o.freq as 4 | 5 | 6];
  const has = (xs: number[] | null, v: number) => xs === null || xs.length === 0 || xs.includes(v);
  const offsets = o.freq === 4 ? o.byminute!.flatMap((m) => o.bysecond!.map((x) => m * 60_000 + x * 1000)) : o.freq === 5 ? o.bysecond!.map((x) => x * 1000) : [0];
  const out: number[] = [];
  let n = 0;
  for (let p = Math.floor(startF / unit) * unit; p <= toF; p += unit * o.interval) {
    const d = new Date(p);
    const dim = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    const monthDays = [...(o.bymonthday ?? []), ...(o.bynmonthday ?? []).map((x) => dim + x + 1)];
    if (!has(o.bymonth, d.getUTCMonth() + 1) || !has(o.byweekday, (d.getUTCDay() + 6) % 7) || !has(monthDays, d.getUTCDate())) continue;
    if (!has(o.byhour, d.getUTCHours()) || (o.freq >= 5 && !has(o.byminute, d.getUTCMinutes())) || (o.freq === 6 && !has(o.bysecond, d.getUTCSeconds()))) continue;
    for (const x of [...offsets].sort((a, b) => a - b)) {
      if (p + x < startF) continue;
      if ((o.until && p + x > o.until.getTime()) || (o.count !== null && n >= o.count)) return out;
      n++;
      out.push(p + x);
    }
  }
  return out;
}
const RRULE_JS_LOSES_ALIGNMENT = new Set(['FREQ=MINUTELY;INTERVAL=7;BYHOUR=12;BYSECOND=15,45', 'FREQ=SECONDLY;INTERVAL=15;BYHOUR=9;BYMINUTE=0,1;BYSECOND=10,25,40']);

test('sub-daily rules expanded by arithmetic give what RFC 5545 read literally gives, and rrule.js where it keeps the alignment', () => {
  const start = '2023-01-31T19:20:10';
  const startF = wallToFloatingMs(start);
  for (const r of SUB_DAILY) {
    const ev = event({ start, end: start, recurrence: { rrule: r, exdates: [], rdates: [] } });
    const literal = literalStarts(r, startF, startF + 80 * DAY);
    const reference = new RRule({ ...RRule.parseString(r), dtstart: new Date(startF), tzid: null });
    for (let from = startF - 2 * DAY; from < startF + 70 * DAY; from += 9 * DAY + 7 * HOUR) {
      const to = from + 6 * DAY;
      const got = wallInstances(ev, from, to).instances.map((i) => i.startF);
      const at = `${r} from ${new Date(from).toISOString()}`;
      assert.deepEqual(got, literal.filter((t) => t >= from && t <= to), at);
      if (!RRULE_JS_LOSES_ALIGNMENT.has(r)) assert.deepEqual(got, reference.between(new Date(from), new Date(to), true).map((d) => d.getTime()), at);
    }
    assert.ok(literal.length > 0, r);
  }
});

test('a COUNT past what is expanded is computed: the 20,000th day and the 100,000th hour are the last', () => {
  const daily = event({ id: 'daily', start: '2000-01-01T09:00', end: '2000-01-01T10:00', timezone: 'UTC', recurrence: { rrule: 'FREQ=DAILY;BYDAY=MO,WE,FR,SA;COUNT=20000', exdates: [], rdates: [] } });
  const hourly = event({ id: 'hourly', start: '2024-01-01T00:00', end: '2024-01-01T00:30', timezone: 'UTC', recurrence: { rrule: 'FREQ=HOURLY;COUNT=100000', exdates: [], rdates: [] } });
  const reference = new RRule({ ...RRule.parseString('FREQ=DAILY;BYDAY=MO,WE,FR,SA;COUNT=20000'), dtstart: new Date(Date.UTC(2000, 0, 1, 9)), tzid: null });
  const lastDaily = reference.all().at(-1)!.toISOString().slice(0, 10);
  const lastHourly = new Date(Date.UTC(2024, 0, 1) + 99_999 * HOUR).toISOString().slice(0, 19);
  const listed = (ev: typeof daily, around: string) => {
    const sel = selectWindow([ev], windowFor(around, 2, 'UTC'), { kinds: [], months: 0 });
    return sel.occurrences.map((o) => o.start);
  };
  const weekBefore = (iso: string) => new Date(Date.parse(iso.slice(0, 10)) - 7 * DAY).toISOString().slice(0, 10);
  const days = listed(daily, weekBefore(lastDaily));
  assert.equal(days.at(-1), `${lastDaily}T09:00:00`);
  assert.ok(days.length > 4);
  const hours = listed(hourly, lastHourly.slice(0, 10));
  assert.equal(hours.at(-1), lastHourly);
  assert.ok(hours.length > 1 && hours.length <= 500);
});

test('hostile rules: each is loaded and selected for 3 and 52 weeks within a second of CPU, cut with a warning that names it', async () => {
  const cases = [
    { uid: 'every-second', rrule: 'FREQ=SECONDLY' },
    { uid: 'every-minute', rrule: 'FREQ=MINUTELY' },
    { uid: 'hourly-count-1e9', rrule: 'FREQ=HOURLY;COUNT=1000000000' },
    { uid: 'rarely-aligned', rrule: 'FREQ=SECONDLY;INTERVAL=59;BYSECOND=0,1' },
    { uid: 'daily-1440', rrule: `FREQ=DAILY;BYHOUR=${[...Array(24).keys()].join(',')};BYMINUTE=${[...Array(60).keys()].join(',')};COUNT=100000000` },
  ];
  for (const c of cases) {
    const loaded = await load(`${c.uid}.ics`, icsFile([c]));
    assert.deepEqual(loaded.findings.filter((f) => f.severity === 'error'), [], c.uid);
    for (const weeks of [3, 52]) {
      const { value: sel, ms } = cpuMs(() => selectWindow(loaded.calendar.events, windowFor('2026-03-02', weeks, 'America/New_York'), { kinds: [], months: 0 }));
      assert.ok(ms < 1000, `${c.uid}, ${weeks} weeks: ${ms.toFixed(0)} ms of CPU`);
      assert.ok(sel.occurrences.length <= 500, c.uid);
      const warnings = cutFindings(sel).map(formatFinding);
      assert.equal(warnings.length, 1, `${c.uid}: ${warnings.join('; ')}`);
      assert.match(warnings[0], new RegExp(`^${c.uid}\\.ics:\\d+:1: warning: event UID ${c.uid}: `));
    }
  }
  const every = await load('every.ics', icsFile([{ uid: 'every-minute', rrule: 'FREQ=MINUTELY' }]));
  const sel = selectWindow(every.calendar.events, windowFor('2026-03-02', 3, 'UTC'), { kinds: [], months: 0 });
  assert.equal(sel.occurrences.length, 500);
  assert.deepEqual([sel.occurrences[0].start, sel.occurrences[499].start], ['2026-03-02T00:00:00', '2026-03-02T08:19:00']);
  assert.equal(
    formatFinding(cutFindings(sel)[0]),
    'every.ics:9:1: warning: event UID every-minute: more than 500 occurrences in the window 2026-03-02 – 2026-03-23; the first 500 are listed (maxInstancesPerEvent)',
  );
});

test('check: sub-daily rules are warnings; rules that never meet or use BYSETPOS below a day are errors of that event', async () => {
  const loaded = await load(
    'check.ics',
    icsFile([
      { uid: 'minutely', rrule: 'FREQ=MINUTELY;INTERVAL=15' },
      { uid: 'feb-30', rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' },
      { uid: 'setpos', rrule: 'FREQ=SECONDLY;BYSETPOS=1' },
      { uid: 'hour-25', rrule: 'FREQ=DAILY;BYHOUR=25' },
      { uid: 'never-aligned', rrule: 'FREQ=SECONDLY;INTERVAL=2;BYSECOND=1,3,5,7,9,11,13,15,17,19,21,23,25,27,29' },
    ]),
  );
  assert.deepEqual(loaded.findings.filter((f) => /RRULE|within a day/.test(f.message)).map(formatFinding), [
    'check.ics:9:1: warning: event UID minutely: recurrence: FREQ=MINUTELY repeats within a day; a digest lists at most maxInstancesPerEvent of its occurrences per window',
    'check.ics:16:1: error: event UID feb-30: recurrence: RRULE has BY parts that never meet (no day has them all): it has no instance',
    'check.ics:23:1: error: event UID setpos: recurrence: RRULE has BYSETPOS in a sub-daily rule, which is not supported',
    // ical.js refuses it first, with its own words.
    'check.ics:30:1: error: event UID hour-25: invalid RRULE: BYHOUR: invalid value "25" must be < 0',
    'check.ics:37:1: error: event UID never-aligned: recurrence: RRULE has an INTERVAL that never lands on the times its BYHOUR/BYMINUTE/BYSECOND allow: it has no instance',
  ]);
});

test('a 1 MB file of 6,000 events repeating every second or minute: loaded and selected in seconds, a bounded number of occurrences', async () => {
  const events = [...Array(6000).keys()].map((i) => ({ uid: `flood-${i}@calendar.example.org`, rrule: i % 2 ? 'FREQ=SECONDLY' : 'FREQ=MINUTELY;COUNT=100000000' }));
  const text = icsFile(events);
  assert.ok(text.length > 900_000, `${text.length} bytes`);
  const rssBefore = process.memoryUsage().rss;
  const before = process.cpuUsage();
  const loaded = await load('flood.ics', text);
  const { value: sel, ms: selectMs } = cpuMs(() => selectWindow(loaded.calendar.events, windowFor('2026-03-02', 52, 'UTC'), { kinds: [], months: 0 }));
  const used = process.cpuUsage(before);
  const totalMs = (used.user + used.system) / 1000;
  assert.equal(loaded.calendar.events.length, 6000);
  assert.equal(sel.occurrences.length, 500 * WINDOW_TOTAL_FACTOR);
  assert.equal(sel.cut.length, 6000);
  // Measured at about 2 s of CPU and 100 MB on a shared 2-core machine; the bounds leave room for a busy one.
  assert.ok(selectMs < 5000, `select: ${selectMs.toFixed(0)} ms of CPU`);
  assert.ok(totalMs < 15000, `load and select: ${totalMs.toFixed(0)} ms of CPU`);
  assert.ok(process.memoryUsage().rss - rssBefore < 400e6, `RSS grew ${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB`);
});
