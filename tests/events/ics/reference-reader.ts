// An independent reader for the corpus test: ical.js expands the events, with its known gaps fixed up here.
//
// The fix-ups (each a place where ical.js 2.2.1 is wrong or silent, see MAIL-AND-CALENDAR-NOTES):
// 1. A TZID with no VTIMEZONE in the file becomes floating in ical.js: it is registered here as a
//    zone that asks Intl for the IANA zone the name means (the name itself, a Windows name through
//    windows-iana, or the tail of a '/mozilla.org/…/Area/City' id).
// 2. RDATE;VALUE=PERIOD throws: such RDATEs are taken out before ical.js sees the event and added
//    here, each with its own length.
// 3. A floating UNTIL is compared as UTC: it is put into DTSTART's zone first.
// 4. Of several overrides of one RECURRENCE-ID, ical.js keeps the last in the file: the one with the
//    highest SEQUENCE (then DTSTAMP) is kept, and so for duplicate masters (RFC 5546 §2.1.5).
// 5. ical.js matches a RECURRENCE-ID by instant: Exchange's RECURRENCE-ID;TZID=W. Europe Standard
//    Time:20260226T000000 for an all-day series never meets the DATE instance of Feb 26. For an
//    all-day series the RECURRENCE-ID is taken as the date written.
// 6. Outlook's display names as TZIDs with no VTIMEZONE ("(UTC-05:00) Eastern Time (US & Canada)")
//    become floating in ical.js: the ones in the corpus are mapped by hand (DISPLAY_NAMES).
// And the reader's own rules, which any reader must choose: floating times are in the calendar's
// X-WR-TIMEZONE (else the list's zone); an event whose end is before its start, or whose times do
// not parse, is dropped (RFC 5545 §3.6.1 makes it invalid); an event with no SUMMARY is "(untitled)".
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import { findIana } from 'windows-iana';

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;
type Property = InstanceType<typeof ICAL.Property>;

export interface RefWindow {
  /** First day and the day after the last, in `zone`. */
  startDate: string;
  endDate: string;
  zone: string;
}

export interface RefOccurrence {
  uid: string;
  title: string;
  allDay: boolean;
  /** Timed: UTC ISO instants; all-day: the first and the last day (inclusive). */
  start: string;
  end: string;
}

const DAY = 86_400_000;
const MAX_STEPS = 200_000;

/** Fix-up 6, checked by hand against the offsets in the names and the events' own descriptions. */
const DISPLAY_NAMES: Record<string, string> = {
  '(GMT+10:00) Canberra, Melbourne, Sydney': 'Australia/Sydney',
  '(UTC-05:00) Eastern Time (US & Canada)': 'America/New_York',
};

function ianaFor(tzid: string): string | undefined {
  const t = tzid.trim();
  if (DISPLAY_NAMES[t]) return DISPLAY_NAMES[t];
  if (IANAZone.isValidZone(t)) return t;
  const w = findIana(t)[0];
  if (w && IANAZone.isValidZone(w)) return w;
  const parts = t.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) if (IANAZone.isValidZone(parts.slice(i).join('/'))) return parts.slice(i).join('/');
  return undefined;
}

/** Offsets from Intl through luxon; a wall time in a gap moves forward, a repeated one is the first. */
class IntlZone extends ICAL.Timezone {
  constructor(
    tzid: string,
    private readonly iana: string,
  ) {
    super({ tzid });
  }

  utcOffset(tt: Time): number {
    const f = Date.UTC(tt.year, tt.month - 1, tt.day, tt.hour, tt.minute, tt.second);
    const z = IANAZone.create(this.iana);
    const before = z.offset(f - DAY);
    const after = z.offset(f + DAY);
    const ok = [before, after].filter((o) => z.offset(f - o * 60_000) === o);
    return (ok.length === 0 ? before : Math.max(...ok)) * 60;
  }
}

/** The instant of an ICAL.Time, taking floating times in `floatingZone`. */
function instantOf(t: Time, floatingZone: string): number {
  const zone = t.zone;
  if (zone && zone.tzid !== 'floating' && zone !== ICAL.Timezone.localTimezone) return t.toUnixTime() * 1000;
  return DateTime.fromObject({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second }, { zone: floatingZone }).toMillis();
}

// Through Date.UTC, which normalises a day ical.js left at 32.
const dateOf = (t: Time) => new Date(Date.UTC(t.year, t.month - 1, t.day)).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => DateTime.fromISO(d, { zone: 'UTC' }).plus({ days: n }).toISODate() as string;

function num(c: Component, name: string): number {
  const v = c.getFirstPropertyValue(name);
  return typeof v === 'number' ? v : Number(v ?? 0) || 0;
}

function stamp(c: Component, name: string): number {
  const v = c.getFirstPropertyValue(name) as Time | null;
  return v && typeof v.toUnixTime === 'function' ? v.toUnixTime() : 0;
}

/** RFC 5546: the higher SEQUENCE is the current revision, then the later DTSTAMP / LAST-MODIFIED. */
function newer(a: Component, b: Component): Component {
  const k = (c: Component) => [num(c, 'sequence'), stamp(c, 'dtstamp'), stamp(c, 'last-modified')];
  const ka = k(a);
  const kb = k(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] > kb[i] ? a : b;
  return b;
}

interface Instance {
  startMs: number;
  endMs: number;
  startDate?: string;
  lastDate?: string;
  title: string;
  cancelled: boolean;
}

function titleOf(c: Component): string {
  const s = c.getFirstPropertyValue('summary');
  return typeof s === 'string' && s.trim() !== '' ? s : '(untitled)';
}

/** Fix-up 2: PERIOD RDATEs, out of ical.js's way, as (start, end) pairs. */
function takePeriods(c: Component): { start: Time; end: Time }[] {
  const out: { start: Time; end: Time }[] = [];
  for (const p of c.getAllProperties('rdate') as Property[]) {
    if (p.type !== 'period') continue;
    for (const v of p.getValues() as InstanceType<typeof ICAL.Period>[]) out.push({ start: v.start, end: v.getEnd() });
    c.removeProperty(p);
  }
  return out;
}

/** Fix-up 3: a floating UNTIL means DTSTART's wall clock. */
function fixUntil(c: Component): void {
  const start = c.getFirstPropertyValue('dtstart') as Time | null;
  for (const p of c.getAllProperties('rrule') as Property[]) {
    const r = p.getFirstValue() as InstanceType<typeof ICAL.Recur>;
    if (r.until && !r.until.isDate && start && !start.isDate && r.until.zone !== ICAL.Timezone.utcTimezone) r.until.zone = start.zone;
  }
}

function expand(master: Component | undefined, exceptions: Component[], win: { fromMs: number; toMs: number }, floatingZone: string): Instance[] {
  const base = master ?? exceptions[0];
  const periods = master ? takePeriods(master) : [];
  if (master) fixUntil(master);
  const event = new ICAL.Event(base);
  const byRid = new Map<string, Component>();
  if (master) {
    for (const x of exceptions) {
      const ridProp = x.getFirstProperty('recurrence-id') as Property;
      const ridTime = ridProp.getFirstValue() as Time;
      if (event.startDate.isDate && !ridTime.isDate) {
        // Fix-up 5.
        ridProp.removeParameter('tzid');
        ridProp.setValue(ICAL.Time.fromData({ year: ridTime.year, month: ridTime.month, day: ridTime.day, isDate: true }));
      }
      const rid = (x.getFirstPropertyValue('recurrence-id') as Time).toString();
      const prev = byRid.get(rid);
      byRid.set(rid, prev ? newer(prev, x) : x);
    }
    for (const x of byRid.values()) event.relateException(x);
  }
  const allDay = event.startDate.isDate;
  const out: Instance[] = [];
  const make = (item: Component, start: Time, end: Time): Instance => {
    const startMs = instantOf(start, floatingZone);
    const endMs = instantOf(end, floatingZone);
    const i: Instance = { startMs, endMs, title: titleOf(item), cancelled: String(item.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED' };
    if (allDay) {
      i.startDate = dateOf(start);
      const endDate = end.isDate ? addDays(dateOf(end), -1) : dateOf(end);
      i.lastDate = endDate < i.startDate ? i.startDate : endDate;
    }
    return i;
  };
  if (!master || (!event.isRecurring() && periods.length === 0)) {
    return [make(base, event.startDate, event.endDate)];
  }
  const it = event.iterator();
  const late = win.toMs + 2 * DAY;
  for (let n = 0, next = it.next(); next && n < MAX_STEPS; n++, next = it.next()) {
    const d = event.getOccurrenceDetails(next);
    const i = make(d.item.component, d.startDate, d.endDate);
    out.push(i);
    if (instantOf(next, floatingZone) > late) break;
  }
  const length = event.endDate.subtractDate(event.startDate);
  for (const p of periods) {
    const rid = p.start.toString();
    const x = byRid.get(rid);
    if (x) {
      const xe = new ICAL.Event(x);
      out.push(make(x, xe.startDate, xe.endDate));
    } else {
      const end = p.end ?? p.start.clone();
      if (!p.end) end.addDuration(length);
      out.push(make(master, p.start, end));
    }
  }
  return out;
}

/** ical.js refuses a whole file for one bad content line: the VEVENT holding it is dropped instead. */
function dropUnparsableEvents(text: string): string {
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const out: string[] = [];
  let event: string[] | undefined;
  let bad = false;
  for (const line of lines) {
    if (/^BEGIN:VEVENT/i.test(line)) {
      event = [line];
      bad = false;
      continue;
    }
    if (!event) {
      out.push(line);
      continue;
    }
    event.push(line);
    if (!/^(BEGIN|END):/i.test(line) && line.trim() !== '') {
      try {
        ICAL.parse.property(line);
      } catch {
        bad = true;
      }
    }
    if (/^END:VEVENT/i.test(line)) {
      if (!bad) out.push(...event);
      event = undefined;
    }
  }
  return out.join('\r\n');
}

/** Every occurrence that overlaps the window, as the reference sees it. */
export function referenceOccurrences(text: string, win: RefWindow, listZone: string): RefOccurrence[] {
  const parsed = ICAL.parse(dropUnparsableEvents(text));
  const roots = (Array.isArray(parsed[0]) ? parsed : [parsed]) as unknown[];
  const fromMs = DateTime.fromISO(win.startDate, { zone: win.zone }).toMillis();
  const toMs = DateTime.fromISO(win.endDate, { zone: win.zone }).toMillis();
  const out: RefOccurrence[] = [];
  for (const root of roots) {
    const cal = new ICAL.Component(root as never);
    const definedIds = new Set((cal.getAllSubcomponents('vtimezone') as Component[]).map((z) => String(z.getFirstPropertyValue('tzid'))));
    // Fix-up 1, registered before any time is read.
    for (const line of text.matchAll(/;TZID=("[^"]*"|[^;:]*)/gi)) {
      const tzid = line[1].replace(/^"|"$/g, '');
      const iana = definedIds.has(tzid) ? undefined : ianaFor(tzid);
      if (iana) ICAL.TimezoneService.register(new IntlZone(tzid, iana) as never, tzid);
    }
    const wr = cal.getFirstPropertyValue('x-wr-timezone');
    const floatingZone = typeof wr === 'string' && ianaFor(wr) ? (ianaFor(wr) as string) : listZone;
    const groups = new Map<string, { masters: Component[]; exceptions: Component[] }>();
    let anonymous = 0;
    for (const ev of cal.getAllSubcomponents('vevent') as Component[]) {
      const uid = ev.getFirstPropertyValue('uid');
      const key = typeof uid === 'string' && uid.trim() !== '' ? uid.trim() : `\u0000${anonymous++}`;
      const g = groups.get(key) ?? { masters: [], exceptions: [] };
      groups.set(key, g);
      (ev.hasProperty('recurrence-id') ? g.exceptions : g.masters).push(ev);
    }
    for (const [key, g] of groups) {
      const uid = key.startsWith('\u0000') ? '' : key;
      const master = g.masters.length > 0 ? g.masters.reduce(newer) : undefined;
      let instances: Instance[];
      try {
        instances = master || g.exceptions.length === 0 ? expand(master, g.exceptions, { fromMs, toMs }, floatingZone) : g.exceptions.flatMap((x) => expand(undefined, [x], { fromMs, toMs }, floatingZone));
      } catch {
        continue; // times that do not parse: the event is dropped
      }
      if (master && String(master.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
      for (const i of instances) {
        if (i.cancelled || Number.isNaN(i.startMs) || i.endMs < i.startMs) continue;
        const overlaps = i.startDate
          ? i.startDate < win.endDate && (i.lastDate as string) >= win.startDate
          : i.endMs === i.startMs
            ? i.startMs >= fromMs && i.startMs < toMs
            : i.startMs < toMs && i.endMs > fromMs;
        if (!overlaps) continue;
        out.push(
          i.startDate
            ? { uid, title: i.title, allDay: true, start: i.startDate, end: i.lastDate as string }
            : { uid, title: i.title, allDay: false, start: new Date(i.startMs).toISOString(), end: new Date(i.endMs).toISOString() },
        );
      }
    }
  }
  return out;
}
