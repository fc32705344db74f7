// Wraps rrule.js so that no caller sees its "UTC that means local" dates: it expands in wall-clock time only.
import rrulePkg from 'rrule';
import type { CalendarEvent, Override } from '../events/model.ts';
import { floatingMsToDate, floatingMsToWall, instantToWall, wallToFloatingMs } from './wall-time.ts';

const { RRule } = rrulePkg;
type RRuleT = InstanceType<typeof RRule>;

const DAY = 86_400_000;
const RRULE_PARTS = new Set(['FREQ', 'UNTIL', 'COUNT', 'INTERVAL', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST']);

/** An RRULE prepared for expansion in floating time; built once per event. */
export interface CompiledSeries {
  rule?: RRuleT;
  /** Floating ms of extra instances (RDATE and DTSTART itself). */
  extra: number[];
  /** Excluded wall keys: a full wall time, or a date that excludes the whole day. */
  exdates: Set<string>;
  overrides: Map<string, Override>;
  /** Duration of one instance in floating ms (wall-clock length). */
  durationMs: number;
  /** Whether the series ends (UNTIL or COUNT, or no RRULE at all). */
  finite: boolean;
}

const cache = new WeakMap<CalendarEvent, CompiledSeries>();

/** Parses an RRULE value; throws a RangeError that says what is wrong. */
export function parseRRule(value: string, event: Pick<CalendarEvent, 'allDay' | 'timezone' | 'start'>): RRuleT {
  const text = value.replace(/^RRULE:/i, '').trim();
  if (!/(^|;)FREQ=/i.test(text)) throw new RangeError('RRULE has no FREQ');
  const parts = text.split(';').filter((p) => !/^(DTSTART|TZID)=/i.test(p));
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
    if (!RRULE_PARTS.has(name)) throw new RangeError(`RRULE has an unknown part '${key}'`);
    if (name === 'BYDAY' && !val.split(',').every((d) => /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/i.test(d))) {
      throw new RangeError(`RRULE has an invalid BYDAY '${val}'`);
    }
    if ((name === 'COUNT' || name === 'INTERVAL') && !/^\d+$/.test(val)) throw new RangeError(`RRULE has an invalid ${name} '${val}'`);
    if (name.startsWith('BY') && name !== 'BYDAY' && !/^[+-]?\d+(,[+-]?\d+)*$/.test(val)) throw new RangeError(`RRULE has an invalid ${name} '${val}'`);
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
  let rule: RRuleT;
  // rrule.js accepts some nonsense silently; make it produce one instance to prove it works.
  try {
    rule = new RRule({ ...options, dtstart: new Date(wallToFloatingMs(event.start)), tzid: null });
    rule.after(new Date(wallToFloatingMs(event.start) - DAY), true);
  } catch (e) {
    throw new RangeError(`RRULE does not parse: ${(e as Error).message}`);
  }
  return rule;
}

export function compileSeries(event: CalendarEvent): CompiledSeries {
  const hit = cache.get(event);
  if (hit) return hit;
  const startF = wallToFloatingMs(event.start);
  const endF = event.allDay ? wallToFloatingMs(event.end) + DAY : wallToFloatingMs(event.end);
  const rec = event.recurrence;
  const rule = rec?.rrule ? parseRRule(rec.rrule, event) : undefined;
  const compiled: CompiledSeries = {
    rule,
    extra: [startF, ...(rec?.rdates ?? []).map(wallToFloatingMs)],
    exdates: new Set((rec?.exdates ?? []).map((d) => (d.length === 10 || event.allDay ? d.slice(0, 10) : d))),
    overrides: new Map(event.overrides.map((o) => [keyOf(event, wallToFloatingMs(o.recurrenceId)), o])),
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

function isExcluded(event: CalendarEvent, s: CompiledSeries, floatingMs: number): boolean {
  if (s.exdates.size === 0) return false;
  const key = keyOf(event, floatingMs);
  return s.exdates.has(key) || (!event.allDay && s.exdates.has(key.slice(0, 10)));
}

/** An instance in wall time, before conversion to instants. */
export interface WallInstance {
  /** Floating ms of the instance's start and (exclusive) end. */
  startF: number;
  endF: number;
  recurrenceId?: string;
  override?: Override;
}

/**
 * The instances whose start lies in [fromF, toF] (floating ms), with excluded dates removed and
 * overrides applied (cancelled overrides are kept, flagged, so callers can drop them).
 * Overrides that move an instance from outside the range into it are found too.
 */
export function wallInstances(event: CalendarEvent, fromF: number, toF: number): WallInstance[] {
  const s = compileSeries(event);
  const starts = new Set<number>();
  if (s.rule) for (const d of s.rule.between(new Date(fromF), new Date(toF), true)) starts.add(d.getTime());
  for (const x of s.extra) if (x >= fromF && x <= toF) starts.add(x);
  const out: WallInstance[] = [];
  for (const startF of starts) {
    if (isExcluded(event, s, startF)) continue;
    const rid = keyOf(event, startF);
    const ov = s.overrides.get(rid);
    if (ov) continue; // handled below, wherever it moved to
    out.push({ startF, endF: startF + s.durationMs, recurrenceId: event.recurrence ? rid : undefined });
  }
  for (const [rid, ov] of s.overrides) {
    const ridF = wallToFloatingMs(rid);
    if (isExcluded(event, s, ridF) || !isInstance(event, s, ridF)) continue;
    const startF = ov.start ? wallToFloatingMs(ov.start) : ridF;
    const endF = ov.end ? wallToFloatingMs(ov.end) + (event.allDay ? DAY : 0) : startF + s.durationMs;
    if (startF > toF || endF < fromF) continue;
    out.push({ startF, endF, recurrenceId: rid, override: ov });
  }
  return out.sort((a, b) => a.startF - b.startF);
}

function isInstance(event: CalendarEvent, s: CompiledSeries, ridF: number): boolean {
  if (s.extra.includes(ridF)) return true;
  if (!s.rule) return false;
  return s.rule.between(new Date(ridF - 1), new Date(ridF + 1), true).some((d) => keyOf(event, d.getTime()) === keyOf(event, ridF));
}

/** Every instance of a finite series (capped, so a runaway rule cannot hang a run). */
export function allWallInstances(event: CalendarEvent, cap = 5000): WallInstance[] {
  const s = compileSeries(event);
  if (!s.finite) throw new RangeError('the series has no end');
  let last = Math.max(...s.extra);
  if (s.rule) {
    const all = s.rule.all((_d, i) => i < cap);
    if (all.length > 0) last = Math.max(last, all[all.length - 1].getTime());
  }
  for (const ov of s.overrides.values()) if (ov.start) last = Math.max(last, wallToFloatingMs(ov.start));
  const first = Math.min(...s.extra, ...[...s.overrides.values()].filter((o) => o.start).map((o) => wallToFloatingMs(o.start as string)));
  return wallInstances(event, first, last);
}
