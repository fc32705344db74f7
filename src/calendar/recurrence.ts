// Wraps rrule.js so that no caller sees its "UTC that means local" dates: it expands in wall-clock time only.
import rrulePkg from 'rrule';
import type { CalendarEvent, Override } from '../events/model.ts';
import { fastBetween } from './fast-rrule.ts';
import { unsafeRule } from './rule-limits.ts';
import { isSubDaily, subDailyBetween, type Expansion } from './sub-daily.ts';
import { floatingMsToDate, floatingMsToWall, instantToWall, wallToFloatingMs } from './wall-time.ts';

const { RRule } = rrulePkg;
type RRuleT = InstanceType<typeof RRule>;

const DAY = 86_400_000;
const RRULE_PARTS = new Set(['FREQ', 'UNTIL', 'COUNT', 'INTERVAL', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST']);

/** Unknown parts by rule text: validation asks for every event, and a big calendar repeats its rules. */
const unknownParts = new Map<string, readonly string[]>();

/** The parts of an RRULE value that RFC 5545 does not define (ignored when the rule is expanded). */
export function unknownRRuleParts(value: string): readonly string[] {
  let unknown = unknownParts.get(value);
  if (!unknown) {
    unknown = value
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((p) => p.split('=')[0].trim())
      .filter((k) => k !== '' && !RRULE_PARTS.has(k.toUpperCase()) && !/^(DTSTART|TZID)$/i.test(k));
    if (unknownParts.size >= 100_000) unknownParts.clear();
    unknownParts.set(value, unknown);
  }
  return unknown;
}

/** An RRULE prepared for expansion in floating time; built once per event. */
export interface CompiledSeries {
  rule?: RRuleT;
  /** Floating ms of extra instances (RDATE and DTSTART itself). */
  extra: number[];
  /** The exclusive end of an RDATE that is a period (START/END), by its start. */
  extraEnd: ReadonlyMap<number, number>;
  /** Excluded wall keys: a full wall time, or a date that excludes the whole day. */
  exdates: ReadonlySet<string>;
  overrides: ReadonlyMap<string, Override>;
  /** Duration of one instance in floating ms (wall-clock length). */
  durationMs: number;
  /** Whether the series ends (UNTIL or COUNT, or no RRULE at all). */
  finite: boolean;
}

const cache = new WeakMap<CalendarEvent, CompiledSeries>();
/** Instances rrule.js may walk through per query (it keeps each one): about 550 years of a daily rule, a few MB. */
const RRULE_WALK_BUDGET = 200_000;

/** The values each BY part may take (RFC 5545 §3.3.10); rrule.js takes any number, and a BYHOUR=25 never fires. */
const BY_RANGE: Record<string, [number, number]> = {
  BYSECOND: [0, 60],
  BYMINUTE: [0, 59],
  BYHOUR: [0, 23],
  BYMONTHDAY: [-31, 31],
  BYYEARDAY: [-366, 366],
  BYWEEKNO: [-53, 53],
  BYMONTH: [1, 12],
  BYSETPOS: [-366, 366],
};

type RuleOptions = ReturnType<typeof RRule.parseString>;

/**
 * rrule.js's options for an RRULE value, checked, by what they depend on: the text, all-day or not, and
 * the zone when a UTC UNTIL is moved into it. A big calendar repeats a few hundred rule texts over
 * thousands of events, and each parse was a dozen regular expressions and rrule.js's parser; the
 * options are only read (spread into each rule), never changed. Throws a RangeError as parseRRule says.
 */
const optionsByText = new Map<string, RuleOptions>();

function ruleOptions(value: string, event: Pick<CalendarEvent, 'allDay' | 'timezone'>): RuleOptions {
  const key = `${event.allDay}|${/z/i.test(value) ? event.timezone : ''}|${value}`;
  let options = optionsByText.get(key);
  if (!options) {
    options = parseRuleOptions(value, event);
    if (optionsByText.size > 100_000) optionsByText.clear();
    optionsByText.set(key, options);
  }
  return options;
}

function parseRuleOptions(value: string, event: Pick<CalendarEvent, 'allDay' | 'timezone'>): RuleOptions {
  const text = value.replace(/^RRULE:/i, '').trim();
  if (!/(^|;)FREQ=/i.test(text)) throw new RangeError('RRULE has no FREQ');
  // Parts RFC 5545 does not define (some feeds add their own) are left out, as other readers do; check warns.
  const parts = text.split(';').filter((p) => p.trim() !== '' && RRULE_PARTS.has(p.split('=')[0].trim().toUpperCase()));
  const fixed = parts.map((p) => {
    const m = /^UNTIL=(\d{8})(T\d{6})?(Z)?$/i.exec(p);
    if (!m) return p;
    // rrule.js reads UNTIL's fields as if UTC; give it the wall time in the event's zone.
    if (event.allDay) return `UNTIL=${m[1]}`;
    if (m[3]) {
      const ms = Date.UTC(+m[1].slice(0, 4), +m[1].slice(4, 6) - 1, +m[1].slice(6, 8), +(m[2] ?? 'T000000').slice(1, 3), +(m[2] ?? 'T000000').slice(3, 5), +(m[2] ?? 'T000000').slice(5, 7));
      return `UNTIL=${instantToWall(ms, event.timezone).replace(/[-:]/g, '')}`;
    }
    return m[2] ? `UNTIL=${m[1]}${m[2]}` : `UNTIL=${m[1]}T235959`;
  });
  for (const part of fixed) {
    const [key, val = ''] = part.split('=');
    const name = key.toUpperCase();
    if (name === 'BYDAY' && !val.split(',').every((d) => /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/i.test(d))) {
      throw new RangeError(`RRULE has an invalid BYDAY '${val}'`);
    }
    if ((name === 'COUNT' || name === 'INTERVAL') && !/^\d+$/.test(val)) throw new RangeError(`RRULE has an invalid ${name} '${val}'`);
    if (name.startsWith('BY') && name !== 'BYDAY' && !/^[+-]?\d+(,[+-]?\d+)*$/.test(val)) throw new RangeError(`RRULE has an invalid ${name} '${val}'`);
    const range = BY_RANGE[name];
    if (range && val.split(',').map(Number).some((n) => n < range[0] || n > range[1] || (n === 0 && range[0] < 0))) {
      throw new RangeError(`RRULE has a ${name} out of range '${val}'`);
    }
    if (name === 'UNTIL' && !/^\d{8}(T\d{6}Z?)?$/i.test(val)) throw new RangeError(`RRULE has an invalid UNTIL '${val}'`);
  }
  let options;
  try {
    options = RRule.parseString(fixed.join(';'));
  } catch (e) {
    throw new RangeError(`RRULE does not parse: ${(e as Error).message}`);
  }
  if (options.freq === undefined || options.freq === null) throw new RangeError('RRULE has no valid FREQ');
  for (const [k, v] of Object.entries(options)) {
    if (typeof v === 'number' && Number.isNaN(v)) throw new RangeError(`RRULE has an invalid ${k.toUpperCase()}`);
  }
  return options;
}

/**
 * Parses an RRULE value; throws a RangeError that says what is wrong. `probe` also makes rrule.js
 * produce an instance, which catches the nonsense it accepts silently (validation does this once;
 * expansion skips it, since only validated events reach it).
 */
export function parseRRule(value: string, event: Pick<CalendarEvent, 'allDay' | 'timezone' | 'start'>, probe = true): RRuleT {
  const options = ruleOptions(value, event);
  let rule: RRuleT;
  try {
    rule = new RRule({ ...options, dtstart: new Date(wallToFloatingMs(event.start)), tzid: null });
  } catch (e) {
    throw new RangeError(`RRULE does not parse: ${(e as Error).message}`);
  }
  // Before rrule.js walks it: a rule it would search until the year 9999 is refused here.
  const unsafe = unsafeRule(rule);
  if (unsafe) throw new RangeError(`RRULE has ${unsafe}`);
  if (probe) probeRule(rule, event);
  return rule;
}

/** rrule.js accepts some nonsense silently; make it produce one instance to prove it works (throws a RangeError if not). */
export function probeRule(rule: RRuleT, event: Pick<CalendarEvent, 'start'>): void {
  const startF = wallToFloatingMs(event.start);
  // Only rrule.js's own walk fails that way, and a rule of a shape fast-rrule.ts computes is never walked by it.
  if (isSubDaily(rule) || fastBetween(rule, startF, startF) !== null) return;
  try {
    rule.after(new Date(startF - DAY), true);
  } catch (e) {
    throw new RangeError(`RRULE does not parse: ${(e as Error).message}`);
  }
}

/** Parsed rules by what the parse depends on: an event and its copies (a series without its exclusions, in series.ts) share one. */
const rules = new Map<string, RRuleT>();

/** The event's own RRULE, parsed once (validation and expansion share it; unprobed: see parseRRule). */
export function eventRule(event: CalendarEvent): RRuleT {
  const value = event.recurrence?.rrule ?? '';
  const key = `${event.timezone}|${event.allDay}|${event.start}|${value}`;
  let rule = rules.get(key);
  if (!rule) {
    rule = parseRRule(value, event, false);
    if (rules.size > 100_000) rules.clear();
    rules.set(key, rule);
  }
  return rule;
}

/**
 * Shared by the many series that have none (most events of a big calendar have no RDATE period, EXDATE or
 * override): compiled series live as long as their events, and three empty collections each were a good
 * part of what a 10,000-event validation kept.
 */
const NO_ENDS: ReadonlyMap<number, number> = new Map();
const NO_EXDATES: ReadonlySet<string> = new Set();
const NO_OVERRIDES: ReadonlyMap<string, Override> = new Map();

export function compileSeries(event: CalendarEvent): CompiledSeries {
  const hit = cache.get(event);
  if (hit) return hit;
  const startF = wallToFloatingMs(event.start);
  const endF = event.allDay ? wallToFloatingMs(event.end) + DAY : wallToFloatingMs(event.end);
  const rec = event.recurrence;
  const rule = rec?.rrule ? eventRule(event) : undefined;
  let extraEnd: Map<number, number> | undefined;
  const rdates = (rec?.rdates ?? []).map((d) => {
    const [from, to] = d.split('/');
    const f = wallToFloatingMs(from);
    if (to !== undefined) (extraEnd ??= new Map()).set(f, wallToFloatingMs(to) + (event.allDay ? DAY : 0));
    return f;
  });
  const compiled: CompiledSeries = {
    rule,
    // DTSTART off its own rule (Outlook writes the pattern's start date, say a Monday for TH,FR):
    // RFC 5545 leaves that set undefined; it is no instance here, as in Outlook, ical.js and rrule.js.
    extra: !rule || ruleBetween(rule, startF, startF, 1).starts.length > 0 ? [startF, ...rdates] : rdates,
    extraEnd: extraEnd ?? NO_ENDS,
    exdates: rec && rec.exdates.length > 0 ? new Set(rec.exdates.map((d) => (d.length === 10 || event.allDay ? d.slice(0, 10) : d))) : NO_EXDATES,
    overrides: event.overrides.length > 0 ? new Map(event.overrides.map((o) => [keyOf(event, wallToFloatingMs(o.recurrenceId)), o])) : NO_OVERRIDES,
    durationMs: Math.max(0, endF - startF),
    finite: !rule || rule.options.until !== null || rule.options.count !== null,
  };
  cache.set(event, compiled);
  return compiled;
}

/** The key an instance is matched by (EXDATE, RECURRENCE-ID): its date for all-day, its wall time otherwise. */
export function keyOf(event: CalendarEvent, floatingMs: number): string {
  return event.allDay ? floatingMsToDate(floatingMs) : floatingMsToWall(floatingMs);
}

function isExcluded(event: CalendarEvent, s: CompiledSeries, floatingMs: number, key?: string): boolean {
  if (s.exdates.size === 0) return false;
  const k = key ?? keyOf(event, floatingMs);
  return s.exdates.has(k) || (!event.allDay && s.exdates.has(k.slice(0, 10)));
}

/**
 * The first `limit` starts of the rule in [fromF, toF]. Sub-daily rules are expanded by arithmetic
 * (sub-daily.ts), never by rrule.js, which materialises every instance; the shapes calendars mostly
 * use are computed directly (fast-rrule.ts; tests hold both equal to rrule.js). For the rest, note
 * that rrule.js walks a series from DTSTART, so a weekly rule that began two years ago costs a
 * hundred steps per query. A rule without COUNT has the same instances from any period boundary
 * on, so we walk a copy whose DTSTART is moved forward by whole periods to just before the range;
 * a COUNT rule is walked from DTSTART, since its count starts there. Either walk stops after
 * RRULE_WALK_BUDGET instances: a rule that expands to millions (BYHOUR × BYMINUTE × BYSECOND) says
 * so instead of hanging.
 */
function ruleBetween(rule: RRuleT, fromF: number, toF: number, limit: number): Expansion {
  // A series that ended before the range has nothing to give: skip building a rebased rule for it.
  if (rule.options.until !== null && rule.options.until.getTime() < fromF) return { starts: [] };
  if (isSubDaily(rule)) return subDailyBetween(rule, fromF, toF, limit);
  const fast = fastBetween(rule, fromF, toF);
  if (fast) return fast.length > limit ? { starts: fast.slice(0, limit), stopped: 'limit' } : { starts: fast };
  const walked = rule.options.count !== null ? rule : rebase(rule, fromF);
  const out: Expansion = { starts: [] };
  walked.all((d, i) => {
    const t = d.getTime();
    if (t > toF) return false;
    const stop = i >= RRULE_WALK_BUDGET ? 'budget' : t >= fromF && out.starts.length >= limit ? 'limit' : undefined;
    if (stop) {
      out.stopped = stop;
      return false;
    }
    if (t >= fromF) out.starts.push(t);
    return true;
  });
  return out;
}

const { YEARLY, MONTHLY, WEEKLY, DAILY } = RRule;

function rebase(rule: RRuleT, fromF: number): RRuleT {
  const o = rule.options;
  const start = o.dtstart.getTime();
  const periods = periodsBetween(o.freq, start, fromF);
  const k = Math.floor(periods / o.interval) - 1; // one period early: instances of that period before the range are dropped anyway
  if (k <= 0) return rule;
  const d = new Date(start);
  const tod = start % DAY;
  const orig = rule.origOptions;
  // What rrule.js would have taken from the old DTSTART must now be said explicitly.
  const fill: Partial<typeof orig> = {};
  const noBy = !orig.byweekday && !orig.bymonthday && !orig.byyearday && !orig.byweekno;
  let newStart: number;
  if (o.freq === DAILY) newStart = start + k * o.interval * DAY;
  else if (o.freq === WEEKLY) {
    newStart = start + k * o.interval * 7 * DAY;
    if (noBy) fill.byweekday = [(d.getUTCDay() + 6) % 7];
  } else if (o.freq === MONTHLY) {
    newStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k * o.interval, 1) + tod;
    if (noBy) fill.bymonthday = [d.getUTCDate()];
  } else {
    newStart = Date.UTC(d.getUTCFullYear() + k * o.interval, 0, 1) + tod;
    if (noBy) {
      fill.bymonthday = [d.getUTCDate()];
      if (!orig.bymonth) fill.bymonth = [d.getUTCMonth() + 1];
    }
  }
  return new RRule({ ...orig, ...fill, dtstart: new Date(newStart), tzid: null });
}

function periodsBetween(freq: number, startF: number, fromF: number): number {
  if (fromF <= startF) return 0;
  const a = new Date(startF);
  const b = new Date(fromF);
  if (freq === DAILY) return Math.floor((fromF - startF) / DAY);
  if (freq === WEEKLY) return Math.floor((fromF - startF) / (7 * DAY));
  if (freq === MONTHLY) return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() - 1;
  if (freq === YEARLY) return b.getUTCFullYear() - a.getUTCFullYear() - 1;
  return 0; // hourly and finer: not worth it for an events calendar
}

/** An instance in wall time, before conversion to instants. */
export interface WallInstance {
  /** Floating ms of the instance's start and (exclusive) end. */
  startF: number;
  endF: number;
  recurrenceId?: string;
  override?: Override;
}

/** Instances of a range, and whether the rule's expansion stopped short of the range's end (sub-daily.ts). */
export interface WallInstances {
  instances: WallInstance[];
  stopped?: Expansion['stopped'];
}

/**
 * The instances whose start lies in [fromF, toF] (floating ms), with excluded dates removed and
 * overrides applied (cancelled overrides are kept, flagged, so callers can drop them).
 * Overrides that move an instance from outside the range into it are found too. The rule gives
 * at most `limit` starts, the earliest.
 */
export function wallInstances(event: CalendarEvent, fromF: number, toF: number, limit = Infinity): WallInstances {
  const s = compileSeries(event);
  const starts = new Set<number>();
  const expansion: Expansion = s.rule ? ruleBetween(s.rule, fromF, toF, limit) : { starts: [] };
  for (const t of expansion.starts) starts.add(t);
  for (const x of s.extra) if (x >= fromF && x <= toF) starts.add(x);
  const out: WallInstance[] = [];
  for (const startF of starts) {
    const rid = keyOf(event, startF);
    if (isExcluded(event, s, startF, rid)) continue;
    const ov = s.overrides.get(rid);
    if (ov) continue; // handled below, wherever it moved to
    out.push({ startF, endF: s.extraEnd.get(startF) ?? startF + s.durationMs, recurrenceId: event.recurrence ? rid : undefined });
  }
  for (const [rid, ov] of s.overrides) {
    const ridF = wallToFloatingMs(rid);
    if (isExcluded(event, s, ridF) || !isInstance(event, s, ridF)) continue;
    const startF = ov.start ? wallToFloatingMs(ov.start) : ridF;
    const endF = ov.end ? wallToFloatingMs(ov.end) + (event.allDay ? DAY : 0) : startF + s.durationMs;
    if (startF > toF || endF < fromF) continue;
    out.push({ startF, endF, recurrenceId: rid, override: ov });
  }
  return { instances: out.sort((a, b) => a.startF - b.startF), ...(expansion.stopped ? { stopped: expansion.stopped } : {}) };
}

function isInstance(event: CalendarEvent, s: CompiledSeries, ridF: number): boolean {
  if (s.extra.includes(ridF)) return true;
  if (!s.rule) return false;
  return ruleBetween(s.rule, ridF - 1, ridF + 1, 3).starts.some((t) => keyOf(event, t) === keyOf(event, ridF));
}

/** Every start of a finite series' rule and extra instances, the last of them; `stopped` past `cap`. */
function allStarts(s: CompiledSeries, cap: number): { ruleStarts: number[]; last: number; stopped?: Expansion['stopped'] } {
  let last = Math.max(...s.extra);
  if (!s.rule) return { ruleStarts: [], last };
  const until = s.rule.options.until?.getTime() ?? Infinity;
  const all = ruleBetween(s.rule, s.rule.options.dtstart.getTime(), until, cap);
  if (all.stopped) return { ruleStarts: [], last, stopped: all.stopped };
  if (all.starts.length > 0) last = Math.max(last, all.starts[all.starts.length - 1]);
  return { ruleStarts: all.starts, last };
}

/**
 * Every instance of a finite series (a campaign listed as one span, an event's last day); none,
 * with `stopped`, when its rule has more than `cap`.
 */
export function allWallInstances(event: CalendarEvent, cap = 5000): WallInstances {
  const s = compileSeries(event);
  if (!s.finite) throw new RangeError('the series has no end');
  let { last, stopped } = allStarts(s, cap);
  // More than the cap: the callers cannot use a part (a span's end, the series' end), so stop here.
  if (stopped) return { instances: [], stopped };
  for (const ov of s.overrides.values()) if (ov.start) last = Math.max(last, wallToFloatingMs(ov.start));
  const first = Math.min(...s.extra, ...[...s.overrides.values()].filter((o) => o.start).map((o) => wallToFloatingMs(o.start as string)));
  return { instances: wallInstances(event, first, last).instances };
}

/**
 * The floating end of a finite series' last instance, as the latest end of allWallInstances; undefined
 * when it has none, 'stopped' past `cap`. Validation asks it of every event of a big calendar, so a
 * series with neither overrides nor RDATE periods is answered from its starts, newest first, without
 * building every instance.
 */
export function lastWallEnd(event: CalendarEvent, cap: number): number | undefined | 'stopped' {
  const s = compileSeries(event);
  if (s.overrides.size > 0 || s.extraEnd.size > 0) {
    const { instances, stopped } = allWallInstances(event, cap);
    if (stopped) return 'stopped';
    return instances.length === 0 ? undefined : Math.max(...instances.map((i) => i.endF));
  }
  if (!s.finite) throw new RangeError('the series has no end');
  const { ruleStarts, last, stopped } = allStarts(s, cap);
  if (stopped) return 'stopped';
  // allWallInstances takes instances from the first extra one (DTSTART, when it is an instance) to the last start.
  const first = Math.min(...s.extra);
  const starts = [...new Set([...ruleStarts, ...s.extra])].filter((t) => t >= first && t <= last).sort((a, b) => b - a);
  const kept = starts.find((t) => !isExcluded(event, s, t));
  return kept === undefined ? undefined : kept + s.durationMs;
}
