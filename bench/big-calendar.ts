// A large calendar written twice, as ICS (VTIMEZONEs and bare IANA TZIDs, RRULE with COUNT and UNTIL, EXDATE) and as
// YAML, describing the same events; deterministic for a seed, for the load bench and its correctness test.
import { foldLine } from '../src/events/ics/export.ts';
import { buildVtimezone } from '../src/events/ics/vtimezone.ts';
import { prng, type Rng } from './shared.ts';

const DAY = 86_400_000;
const SEED = 0x10ad_c0de;
/** The seed calendar's list zone: all-day events float in it (X-WR-TIMEZONE in ICS, `calendar.timezone` in YAML). */
export const BIG_CALENDAR_ZONE = 'America/New_York';
/** Written with a VTIMEZONE of their own in the ICS file. */
const DEFINED = ['America/New_York', 'America/Los_Angeles', 'America/Chicago', 'Europe/Berlin', 'Europe/London', 'Australia/Sydney'];
/** Referred to by IANA TZID alone, as Google's exports do. */
const BARE = ['Asia/Kolkata', 'America/Sao_Paulo', 'Asia/Tokyo'];
const ZONES = [...DEFINED, ...BARE];
/** The default configuration's kinds, so ICS CATEGORIES map onto them. */
const KINDS = ['action', 'action', 'webinar', 'webinar', 'conference'];
const WORDS = ['climate', 'housing', 'transit', 'union', 'tenants', 'water', 'solar', 'schools', 'budget', 'library', 'farm', 'wage'];
const PLACES = ['Community Hall, Springfield', 'Public Library, Riverside', 'Union Hall 12, Fairview', 'Online', 'St. Mark Church, Greenville', 'Town Square, Madison'];
/** Events fall a year either side of this day (the seed issue, 2016-11-28), so the window holds a few percent of them. */
const CENTER = Date.UTC(2016, 10, 28);


/** One event as both formats need it: wall times (floating ms read as UTC fields) in `zone`. */
interface BigEvent {
  id: string;
  title: string;
  kind: string;
  allDay: boolean;
  zone: string;
  /** Floating ms of the start and of the end (timed: exclusive end; all-day: the last day). */
  startF: number;
  endF: number;
  rrule?: string;
  /** Floating ms of excluded instances' starts. */
  exdates: number[];
  location: string;
  description: string;
}

const iso = (f: number) => new Date(f).toISOString();
const wall = (f: number) => iso(f).slice(0, 16);
const date = (f: number) => iso(f).slice(0, 10);
const icsDate = (f: number) => date(f).replace(/-/g, '');
const icsWall = (f: number) => `${icsDate(f)}T${iso(f).slice(11, 19).replace(/:/g, '')}`;

function recurrence(r: Rng, e: BigEvent): void {
  const step = r.pick([1, 7, 7, 14]);
  const count = r.int(3, 40);
  if (step === 1) e.rrule = `FREQ=DAILY;COUNT=${count}`;
  else if (r.chance(0.7)) e.rrule = `FREQ=WEEKLY${step === 14 ? ';INTERVAL=2' : ''};COUNT=${count}`;
  else {
    // UNTIL as files write it: UTC for a timed series (a day after the last start covers any offset), a date for all-day.
    const last = e.startF + (count - 1) * step * DAY;
    e.rrule = `FREQ=WEEKLY${step === 14 ? ';INTERVAL=2' : ''};UNTIL=${e.allDay ? icsDate(last) : `${icsWall(last + DAY)}Z`}`;
  }
  const instances = Array.from({ length: Math.min(count, 12) }, (_, k) => e.startF + k * step * DAY);
  for (let k = r.int(1, 3); k > 0; k--) {
    const x = r.pick(instances.slice(1));
    if (!e.exdates.includes(x)) e.exdates.push(x);
  }
  e.exdates.sort((a, b) => a - b);
}

function bigEvent(r: Rng, i: number): BigEvent {
  const allDay = r.chance(0.15);
  const day = CENTER + r.int(-365, 365) * DAY;
  const startF = allDay ? day : day + r.int(8 * 4, 20 * 4) * 15 * 60_000;
  const endF = allDay ? day + (r.chance(0.2) ? r.int(1, 3) * DAY : 0) : startF + r.int(2, 12) * 15 * 60_000;
  const topic = r.pick(WORDS);
  const e: BigEvent = {
    id: `big-${i}@bench.event-digest.test`,
    title: `${topic[0].toUpperCase()}${topic.slice(1)} meeting #${i}`,
    kind: r.pick(KINDS),
    allDay,
    zone: allDay ? BIG_CALENDAR_ZONE : r.pick(ZONES),
    startF,
    endF,
    exdates: [],
    location: r.pick(PLACES),
    description: `About ${topic} and ${r.pick(WORDS)}; bring a friend.`,
  };
  if (r.chance(1 / 3)) recurrence(r, e);
  return e;
}

/** n events; the same n and seed always give the same ones. */
export function bigEvents(n: number, seed = SEED): BigEvent[] {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => bigEvent(r, i));
}

/**
 * One event of the big calendar that falls in the issue's first week (timed, not recurring, at a place): the baseline the
 * load bench sets the big calendar against does the same work as it, a digest rendered and mailed (not a quiet week
 * skipped), and `check` looks its place up in the gazetteer.
 */
export function oneEventInWindow(seed = SEED): BigEvent[] {
  const r = prng(seed);
  for (let i = 0; i < 10_000; i++) {
    const e = bigEvent(r, i);
    if (!e.allDay && !e.rrule && e.location !== 'Online' && e.startF >= CENTER && e.startF < CENTER + 7 * DAY) return [e];
  }
  throw new Error('no event of the big calendar falls in the first week');
}

/** YAML as an organizer writes it: one mapping per event, quoted strings. */
export function bigCalendarYaml(events: BigEvent[]): string {
  const q = (s: string) => JSON.stringify(s);
  const out = [`calendar:\n  name: Big bench calendar\n  timezone: ${BIG_CALENDAR_ZONE}\n\nevents:`];
  for (const e of events) {
    const t = e.allDay ? date : wall;
    out.push(`  - id: ${q(e.id)}\n    title: ${q(e.title)}\n    kind: ${e.kind}\n    start: ${t(e.startF)}\n    end: ${t(e.endF)}`);
    if (!e.allDay) out.push(`    timezone: ${e.zone}`);
    if (e.rrule) out.push(`    recurrence:\n      rrule: ${e.rrule}\n      exdates: [${e.exdates.map(t).join(', ')}]`);
    out.push(`    location: ${q(e.location)}\n    description: ${q(e.description)}`);
  }
  return `${out.join('\n')}\n`;
}

const icsText = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`);

/** ICS as Google or Outlook write it: VTIMEZONEs for most zones, folded lines, CRLF. */
export function bigCalendarIcs(events: BigEvent[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//event-digest//bench//EN', 'CALSCALE:GREGORIAN', `X-WR-TIMEZONE:${BIG_CALENDAR_ZONE}`];
  const vtimezones = DEFINED.map((z) => buildVtimezone(z, 2015, 2018).toString().replace(/\r\n[ \t]/g, ''));
  lines.push(...vtimezones.flatMap((v) => v.split('\r\n')));
  for (const e of events) {
    const at = (name: string, f: number) => (e.allDay ? `${name};VALUE=DATE:${icsDate(f)}` : `${name};TZID=${e.zone}:${icsWall(f)}`);
    lines.push('BEGIN:VEVENT', `UID:${e.id}`, 'DTSTAMP:20161101T120000Z', `SUMMARY:${icsText(e.title)}`);
    lines.push(at('DTSTART', e.startF), at('DTEND', e.allDay ? e.endF + DAY : e.endF));
    if (e.rrule) lines.push(`RRULE:${e.rrule}`);
    if (e.exdates.length > 0) lines.push(`${at('EXDATE', e.exdates[0]).split(':')[0]}:${e.exdates.map(e.allDay ? icsDate : icsWall).join(',')}`);
    lines.push(`CATEGORIES:${e.kind}`, `LOCATION:${icsText(e.location)}`, `DESCRIPTION:${icsText(e.description)}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
