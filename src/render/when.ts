// "When" lines for readers: times in the right zone with its abbreviation, dates, ranges, campaigns.
import { DateTime } from 'luxon';
import type { Occurrence, Session } from '../calendar/occurrence.ts';
import type { Window } from '../calendar/window.ts';
import { instantToDate } from '../calendar/wall-time.ts';
import { localAt as dayOf, localDate as date, clock, meridiem, month, monthDay, sameDay, time, weekdayDate, weekdayLong, fullYear } from './english-time.ts';
import { zoneAbbreviation } from './zone-name.ts';

const SEP = ' · ';

/** The zone an occurrence is shown in: online events in the reader's, in-person ones in the venue's. */
export function displayZone(o: Occurrence, readerZone: string): string {
  return o.location?.online ? readerZone : o.timezone;
}

/** "Dec 6 – 7", "Nov 30 – Dec 2", "Dec 30, 2016 – Jan 2, 2017"; the year only when it is not the window's. */
export function dateRange(start: string, end: string, windowYear: number): string {
  const a = date(start);
  const b = date(end);
  const withYear = a.year !== windowYear || b.year !== a.year;
  if (start === end) return withYear ? `${weekdayDate(a)}, ${fullYear(a)}` : weekdayDate(a);
  if (a.year !== b.year) return `${monthDay(a)}, ${fullYear(a)} – ${monthDay(b)}, ${fullYear(b)}`;
  const tail = withYear ? `, ${a.year}` : '';
  if (a.month === b.month) return `${monthDay(a)} – ${b.day}${tail}`;
  return `${monthDay(a)} – ${monthDay(b)}${tail}`;
}

/** "6:30 – 8:00 PM CST", "11:00 AM – 12:00 PM PST": one meridiem when both ends share it, the zone once unless it changes. */
export function timeSpan(startMs: number, endMs: number, zone: string): string {
  const a = dayOf(startMs, zone);
  const abbr = zoneAbbreviation(startMs, zone);
  if (endMs <= startMs) return `${time(a)} ${abbr}`;
  const b = dayOf(endMs, zone);
  const endAbbr = zoneAbbreviation(endMs, zone);
  const from = endAbbr !== abbr ? `${time(a)} ${abbr}` : meridiem(a) === meridiem(b) ? clock(a) : time(a);
  return `${from} – ${time(b)} ${endAbbr}`;
}

/** "Tue, Dec 6 · 2:00 – 3:00 PM PST", or across days "Tue, Dec 6, 7:00 PM – Wed, Dec 7, 2:00 AM EST". */
export function timeRange(startMs: number, endMs: number, zone: string): string {
  const a = dayOf(startMs, zone);
  const b = dayOf(endMs, zone);
  if (endMs <= startMs || sameDay(a, b)) return `${weekdayDate(a)}${SEP}${timeSpan(startMs, endMs, zone)}`;
  return `${weekdayDate(a)}, ${time(a)} ${zoneAbbreviation(startMs, zone)} – ${weekdayDate(b)}, ${time(b)} ${zoneAbbreviation(endMs, zone)}`;
}

/** The start in the event's own zone, when the reader sees it in another: " (11:00 AM PST)"; empty when the offsets agree. */
export function ownZoneNote(o: Pick<Occurrence, 'startMs' | 'timezone'>, shownZone: string): string {
  const shown = dayOf(o.startMs, shownZone);
  const own = dayOf(o.startMs, o.timezone);
  if (shown.offset === own.offset) return '';
  const day = sameDay(shown, own) ? '' : `${weekdayDate(own)}, `;
  return ` (${day}${time(own)} ${zoneAbbreviation(o.startMs, o.timezone)})`;
}

/** Consecutive all-day sessions grouped: "Nov 28 – Dec 2, Dec 5 – 9". */
export function sessionRuns(sessions: readonly Session[], windowYear: number): string {
  const runs: [string, string][] = [];
  for (const s of sessions) {
    const last = runs.at(-1);
    if (last && DateTime.fromISO(last[1], { zone: 'UTC' }).plus({ days: 1 }).toISODate() === s.start) last[1] = s.end;
    else runs.push([s.start, s.end]);
  }
  return runs.map(([a, b]) => (a === b ? monthDay(date(a)) : dateRange(a, b, windowYear).replace(/^[A-Z][a-z]{2}, /, ''))).join(', ');
}

export interface WhenText {
  /** The main line. */
  when: string;
  /** For campaigns: when their sessions in the window are. */
  sessions?: string;
}

/** Per window, occurrence and zone shown in: every variant of an issue lists the same "save the date" entries, most in the venue's zone. */
const made = new WeakMap<Window, WeakMap<Occurrence, Map<string, WhenText>>>();

export function whenText(o: Occurrence, readerZone: string, win: Window): WhenText {
  const zone = displayZone(o, readerZone);
  let ofWindow = made.get(win);
  if (!ofWindow) made.set(win, (ofWindow = new WeakMap()));
  let ofOccurrence = ofWindow.get(o);
  if (!ofOccurrence) ofWindow.set(o, (ofOccurrence = new Map()));
  let text = ofOccurrence.get(zone);
  if (!text) ofOccurrence.set(zone, (text = whenTextIn(o, zone, win)));
  return text;
}

function whenTextIn(o: Occurrence, zone: string, win: Window): WhenText {
  const year = date(win.startDate).year;
  if (o.sessions) {
    const through = o.allDay ? weekdayDate(date(o.end)) : `${weekdayDate(dayOf(o.endMs, zone))}, ${time(dayOf(o.endMs, zone))} ${zoneAbbreviation(o.endMs, zone)}`;
    const head = o.ongoing ? `Ongoing through ${through}` : o.allDay ? dateRange(o.start, o.end, year) : timeRange(o.startMs, o.endMs, zone);
    const next = o.sessions[0];
    if (!next) return { when: `${head}${SEP}no sessions in these weeks` };
    const nextText = o.allDay ? weekdayDate(date(next.start)) : `${weekdayDate(dayOf(next.startMs, zone))}, ${time(dayOf(next.startMs, zone))} ${zoneAbbreviation(next.startMs, zone)}`;
    const sessions = o.allDay
      ? `Sessions: ${sessionRuns(o.sessions, year)}`
      : `Sessions: ${o.sessions.map((s) => weekdayDate(dayOf(s.startMs, zone))).join(', ')}`;
    return { when: `${head}${SEP}next session ${nextText}`, sessions };
  }
  if (o.allDay) {
    if (o.ongoing) return { when: `Ongoing through ${weekdayDate(date(o.end))}` };
    return { when: dateRange(o.start, o.end, year) };
  }
  if (o.ongoing) {
    const end = dayOf(o.endMs, zone);
    return { when: `Ongoing through ${weekdayDate(end)}, ${time(end)} ${zoneAbbreviation(o.endMs, zone)}` };
  }
  return { when: timeRange(o.startMs, o.endMs, zone) + (zone === o.timezone ? '' : ownZoneNote(o, zone)) };
}

/** The local date an occurrence starts on, in the zone it is shown in. */
export function startDate(o: Pick<Occurrence, 'allDay' | 'start' | 'startMs'>, zone: string): string {
  return o.allDay ? o.start : instantToDate(o.startMs, zone);
}

/** "Dec 6" for a date (`YYYY-MM-DD`). */
export const shortDate = (d: string) => monthDay(date(d));
/** "Tue, Dec 6" for a date. */
export const weekdayShortDate = (d: string) => weekdayDate(date(d));

/** "Today", "Tomorrow", "This Saturday" for a day up to six days after `today` (both `YYYY-MM-DD`); otherwise none. */
export function relativeDay(day: string, today: string): string | undefined {
  const utc = (d: string) => DateTime.fromISO(d, { zone: 'UTC' });
  const diff = Math.round(utc(day).diff(utc(today), 'days').days);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Tomorrow';
  if (diff > 1 && diff < 7) return `This ${weekdayLong(date(day))}`;
  return undefined;
}

/** "Dec 8, 15, 22", "Nov 29, Dec 6, 13": the month only when it changes. */
export function dateList(days: readonly string[]): string {
  let shown = '';
  return days
    .map((d) => {
      const dt = date(d);
      const m = month(dt);
      const text = m === shown ? String(dt.day) : monthDay(dt);
      shown = m;
      return text;
    })
    .join(', ');
}
