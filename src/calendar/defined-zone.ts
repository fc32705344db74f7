// A time zone as an iCalendar VTIMEZONE defines it (its STANDARD/DAYLIGHT observances), as a luxon Zone.
import { Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import rrulePkg from 'rrule';

const { RRule } = rrulePkg;
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Onsets are computed for these years; before and after, the nearest onset's offsets hold. */
const FIRST_YEAR = 1850;
const LAST_YEAR = 2200;

/** One STANDARD or DAYLIGHT sub-component, as written. */
export interface Observance {
  kind: 'STANDARD' | 'DAYLIGHT';
  /** DTSTART: the first onset, a wall time in `offsetFrom` (`YYYY-MM-DDTHH:mm:ss`). */
  start: string;
  /** UTC offsets in minutes. */
  offsetFrom: number;
  offsetTo: number;
  /** The RRULE value, if any. */
  rrule?: string;
  /** RDATE onsets: wall times in `offsetFrom`, or UTC instants when written with Z (then ending in 'Z'). */
  rdates: string[];
  /** TZNAME: the abbreviation in force. */
  name?: string;
}

export interface ZoneDefinition {
  tzid: string;
  observances: Observance[];
}

interface Onset {
  at: number;
  from: number;
  to: number;
  name?: string;
}

const floating = (wall: string) =>
  Date.UTC(+wall.slice(0, 4), +wall.slice(5, 7) - 1, +wall.slice(8, 10), +wall.slice(11, 13) || 0, +wall.slice(14, 16) || 0, +wall.slice(17, 19) || 0);

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The floating ms of the nth (negative: from the end) weekday of a month. */
function nthWeekday(year: number, month: number, n: number, weekday: number): number | undefined {
  if (n > 0) {
    const first = Date.UTC(year, month - 1, 1);
    const d = 1 + ((weekday - new Date(first).getUTCDay() + 7) % 7) + (n - 1) * 7;
    return d <= new Date(Date.UTC(year, month, 0)).getUTCDate() ? Date.UTC(year, month - 1, d) : undefined;
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const d = lastDay - ((new Date(Date.UTC(year, month - 1, lastDay)).getUTCDay() - weekday + 7) % 7) + (n + 1) * 7;
  return d >= 1 ? Date.UTC(year, month - 1, d) : undefined;
}

/**
 * Onsets (floating ms) of an observance rule. The shape zones use — YEARLY with BYMONTH and one
 * BYDAY (nth or last weekday), optionally narrowed by BYMONTHDAY — is computed directly; any
 * other rule goes to rrule.js over the bounded years.
 */
function ruleOnsets(rule: string, startF: number, endF: number): number[] {
  const parts = new Map(rule.split(';').map((p) => p.split('=') as [string, string]).map(([k, v]) => [k.toUpperCase(), (v ?? '').toUpperCase()]));
  const until = parts.get('UNTIL');
  let untilF = Infinity;
  if (until) {
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?/.exec(until);
    // A UTC UNTIL is a few hours off the local onset at most; rules never fire within a day of it.
    if (m) untilF = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 23), +(m[5] ?? 59), +(m[6] ?? 59)) + (until.endsWith('Z') ? DAY / 2 : 0);
  }
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : Infinity;
  const tod = ((startF % DAY) + DAY) % DAY;
  const byDay = /^([+-]?\d)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(parts.get('BYDAY') ?? '');
  const month = Number(parts.get('BYMONTH'));
  const monthDays = parts.get('BYMONTHDAY')?.split(',').map(Number);
  // BYHOUR/BYMINUTE (Lotus Notes writes them) only repeat DTSTART's time.
  const simple = parts.get('FREQ') === 'YEARLY' && (parts.get('INTERVAL') ?? '1') === '1' && byDay && month >= 1 && month <= 12 && ![...parts.keys()].some((k) => !['FREQ', 'BYMONTH', 'BYDAY', 'BYMONTHDAY', 'UNTIL', 'COUNT', 'WKST', 'INTERVAL', 'BYHOUR', 'BYMINUTE', 'BYSECOND'].includes(k));
  const out: number[] = [];
  if (simple) {
    const weekday = WEEKDAYS.indexOf(byDay[2]);
    const n = byDay[1] ? Number(byDay[1]) : 0;
    const from = Math.max(new Date(startF).getUTCFullYear(), FIRST_YEAR);
    const to = new Date(Math.min(endF, untilF, Date.UTC(LAST_YEAR, 11, 31))).getUTCFullYear();
    for (let y = from; y <= to && out.length < count; y++) {
      let days: number[];
      if (monthDays) {
        // "Sunday among the 8th to the 14th": the BYMONTHDAY list narrows every such weekday of the month.
        days = monthDays.map((d) => Date.UTC(y, month - 1, d)).filter((d) => new Date(d).getUTCDay() === weekday && new Date(d).getUTCMonth() === month - 1);
      } else {
        const d = nthWeekday(y, month, n === 0 ? 1 : n, weekday);
        days = d === undefined ? [] : [d];
      }
      for (const d of days) {
        const t = d + tod;
        if (t >= startF && t <= untilF && t < endF) out.push(t);
      }
    }
    return out;
  }
  try {
    const options = RRule.parseString(rule);
    const dtstart = new Date(Math.max(startF, Date.UTC(FIRST_YEAR, 0, 1) + tod));
    const r = new RRule({ ...options, dtstart, tzid: null });
    const limit = new Date(Math.min(endF, Date.UTC(LAST_YEAR, 11, 31)));
    // Bounded: a zone rule fires a few times a year at most; a rule that fires more often is cut at 2,000.
    return r.all((d, i) => i < 2000 && d <= limit).map((d) => d.getTime());
  } catch {
    return [startF];
  }
}

/**
 * Every onset of every observance, sorted by instant. A later rule of the same kind ends the rule
 * of an earlier era (Outlook writes a new era without closing the old one with UNTIL).
 */
function onsetsOf(def: ZoneDefinition): Onset[] {
  const out: Onset[] = [];
  const byKind = (kind: Observance['kind']) =>
    def.observances.filter((o) => o.kind === kind).sort((a, b) => floating(a.start) - floating(b.start));
  for (const kind of ['STANDARD', 'DAYLIGHT'] as const) {
    const list = byKind(kind);
    list.forEach((o, i) => {
      const startF = floating(o.start);
      const next = list.slice(i + 1).find((x) => x.rrule !== undefined);
      const nextF = next ? floating(next.start) : Infinity;
      const push = (f: number) => out.push({ at: f - o.offsetFrom * MINUTE, from: o.offsetFrom, to: o.offsetTo, name: o.name });
      const starts = new Set<number>([startF]);
      if (o.rrule) for (const f of ruleOnsets(o.rrule, startF, nextF)) starts.add(f);
      for (const f of starts) push(f);
      for (const r of o.rdates) {
        if (r.endsWith('Z')) out.push({ at: floating(r.slice(0, -1)), from: o.offsetFrom, to: o.offsetTo, name: o.name });
        else push(floating(r));
      }
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

function formatOffset(minutes: number, format: ZoneOffsetFormat): string {
  const sign = minutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(minutes) / 60);
  const mins = Math.abs(minutes) % 60;
  const hh = String(hours).padStart(2, '0');
  const mm = String(mins).padStart(2, '0');
  if (format === 'narrow') return `${sign}${hours}${mins > 0 ? `:${mm}` : ''}`;
  if (format === 'techie') return `${sign}${hh}${mm}`;
  return `${sign}${hh}:${mm}`;
}

/** "GMT+7", "GMT-3:30": how ICU names an offset it has no abbreviation for. */
export function gmtName(minutes: number): string {
  return minutes === 0 ? 'GMT' : `GMT${formatOffset(minutes, 'narrow')}`;
}

/** A zone defined by a VTIMEZONE: offsets from its own onsets, abbreviations from its TZNAMEs. */
export class DefinedZone extends Zone<true> {
  private readonly onsets: Onset[];

  /**
   * @param key the registry's name for it (zones.ts), unique per definition
   * @param displayName what readers see: an IANA name the file names, else the TZID
   */
  constructor(
    private readonly key: string,
    readonly displayName: string,
    readonly definition: ZoneDefinition,
  ) {
    super();
    this.onsets = onsetsOf(definition);
  }

  get type(): string {
    return 'vtimezone';
  }

  get name(): string {
    return this.key;
  }

  get isUniversal(): boolean {
    return this.onsets.every((o) => o.to === this.onsets[0].to && o.from === o.to);
  }

  get isValid(): true {
    return true;
  }

  /** The onset in force at an instant, or undefined before the first one. */
  private onsetAt(ts: number): Onset | undefined {
    const list = this.onsets;
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].at <= ts) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 ? list[found] : undefined;
  }

  offset(ts: number): number {
    const o = this.onsetAt(ts);
    if (o) return o.to;
    return this.onsets.length > 0 ? this.onsets[0].from : 0;
  }

  /** The TZNAME in force, else the GMT form. */
  offsetName(ts: number, _options?: ZoneOffsetOptions): string {
    return this.abbreviation(ts) ?? gmtName(this.offset(ts));
  }

  /** The TZNAME the file gives for that instant, when it looks like one ("EST", "CEST", "+07"; not "Europe/London(DST)"). */
  abbreviation(ts: number): string | undefined {
    const name = this.onsetAt(ts)?.name;
    return name !== undefined && /^([A-Za-z]{2,6}|[+-]\d{2}(:?\d{2})?)$/.test(name) ? name : undefined;
  }

  formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return formatOffset(this.offset(ts), format);
  }

  equals(other: Zone): boolean {
    return other === this || (other.type === 'vtimezone' && other.name === this.name);
  }

  /**
   * The years its onsets cover: a VTIMEZONE written for a few years (our own export, Thunderbird's)
   * says nothing of the others. Open-ended when a rule has no end.
   */
  coverage(): { fromYear: number; toYear: number } {
    const year = (ms: number) => new Date(ms).getUTCFullYear();
    const open = this.definition.observances.some((o) => o.rrule !== undefined && !/(UNTIL|COUNT)=/i.test(o.rrule));
    if (this.onsets.length === 0) return { fromYear: -Infinity, toYear: Infinity };
    return { fromYear: year(this.onsets[0].at), toYear: open ? Infinity : year(this.onsets[this.onsets.length - 1].at) };
  }

  /** The instants (ms) where the offset changes within [fromMs, toMs). */
  transitions(fromMs: number, toMs: number): number[] {
    return this.onsets.filter((o) => o.at >= fromMs && o.at < toMs && o.from !== o.to).map((o) => o.at);
  }
}
