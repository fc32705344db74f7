// Expands HOURLY, MINUTELY and SECONDLY rules by arithmetic: period by period, jumping over what the BY parts exclude.
import type rrulePkg from 'rrule';

type RRuleT = InstanceType<typeof rrulePkg.RRule>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** rrule.js's Frequency values for the sub-daily rules, and the length of one period of each. */
const UNIT: Record<number, number> = { 4: HOUR, 5: MINUTE, 6: SECOND };
/** Periods looked at per call, at most: a rule whose BY parts almost never meet stops here instead of spinning. */
const STEP_BUDGET = 1_000_000;

export function isSubDaily(rule: RRuleT): boolean {
  return rule.options.freq in UNIT;
}

/**
 * Why a sub-daily rule cannot be expanded here, or undefined when it can. BYSETPOS, BYYEARDAY,
 * BYWEEKNO and BYDAY with an ordinal have no meaning for these rules that real calendars use.
 */
export function unsupportedSubDaily(rule: RRuleT): string | undefined {
  const g = rule.origOptions;
  const parts = [g.bysetpos && 'BYSETPOS', g.byyearday && 'BYYEARDAY', g.byweekno && 'BYWEEKNO', g.byeaster !== undefined && g.byeaster !== null && 'BYEASTER'].filter(Boolean);
  if ((rule.options.bynweekday ?? []).length > 0) parts.push('BYDAY with an ordinal');
  return parts.length > 0 ? `${parts.join(', ')} in a sub-daily rule, which is not supported` : undefined;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const range = (n: number) => [...Array(n).keys()];

/**
 * Whether no period of the rule ever starts at a time of day its BYHOUR/BYMINUTE/BYSECOND allow:
 * periods start every INTERVAL units from DTSTART, so over the days they reach only the times of
 * day congruent to DTSTART's modulo gcd(step, 1 day). "Every 2 seconds, at odd seconds" never
 * fires, and would be stepped through to the end of every window.
 */
export function timesNeverAlign(rule: RRuleT): boolean {
  const o = rule.options;
  const unit = UNIT[o.freq];
  if (unit === undefined) return false;
  const stepS = (unit / SECOND) * Math.max(1, o.interval);
  const g = gcd(stepS, DAY / SECOND);
  const start = o.dtstart.getTime();
  const baseS = ((((Math.floor(start / unit) * unit) % DAY) + DAY) % DAY) / SECOND;
  const hours = sortedOrNull(o.byhour) ?? range(24);
  const minutes = o.freq >= 5 ? (sortedOrNull(o.byminute) ?? range(60)) : [0];
  const seconds = o.freq >= 6 ? (sortedOrNull(o.bysecond) ?? range(60)) : [0];
  for (const h of hours) for (const m of minutes) for (const s of seconds) if ((((h * 3600 + m * 60 + s - baseS) % g) + g) % g === 0) return false;
  return true;
}

export interface Expansion {
  /** Starts in [fromF, toF], ascending, at most `limit` of them. */
  starts: number[];
  /** Stopped at `limit` (more instances follow in the range) or at the step budget (unknown). */
  stopped?: 'limit' | 'budget';
}

const sortedOrNull = (xs: number[] | null | undefined) => (xs && xs.length > 0 ? [...new Set(xs)].sort((a, b) => a - b) : null);

/** The smallest allowed value ≥ v, or undefined. */
const nextIn = (allowed: number[], v: number) => allowed.find((a) => a >= v);

/**
 * The starts of a sub-daily rule (floating ms) in [fromF, toF]. The rule's periods are
 * DTSTART's hour (minute, second) plus k × INTERVAL; BY parts coarser than the period limit which
 * periods count, finer ones give the instances inside a period (rrule.js has filled them from
 * DTSTART). A period that is excluded is never stepped through: the next candidate is the start of
 * the next allowed day, hour, minute or second. A COUNT is counted from DTSTART; with no limiting
 * BY part the count before the range is computed, not walked.
 */
export function subDailyBetween(rule: RRuleT, fromF: number, toF: number, limit: number): Expansion {
  const o = rule.options;
  const unit = UNIT[o.freq];
  const start = o.dtstart.getTime();
  const base = Math.floor(start / unit) * unit;
  const step = unit * Math.max(1, o.interval);
  const hi = Math.min(toF, o.until ? o.until.getTime() : Infinity);
  const count = o.count ?? Infinity;

  // Limits: the fields at or above the period's own; offsets: the instances inside one period.
  const months = sortedOrNull(o.bymonth);
  const weekdays = sortedOrNull(o.byweekday);
  const monthDays = [...(o.bymonthday ?? []), ...(o.bynmonthday ?? [])];
  const hours = o.freq >= 4 ? sortedOrNull(o.byhour) : null;
  const minutes = o.freq >= 5 ? sortedOrNull(o.byminute) : null;
  const seconds = o.freq >= 6 ? sortedOrNull(o.bysecond) : null;
  const inPeriod: number[] = [];
  if (o.freq === 4) for (const m of sortedOrNull(o.byminute) ?? [0]) for (const s of sortedOrNull(o.bysecond) ?? [0]) inPeriod.push(m * MINUTE + s * SECOND);
  else if (o.freq === 5) for (const s of sortedOrNull(o.bysecond) ?? [0]) inPeriod.push(s * SECOND);
  else inPeriod.push(0);
  const limited = months || weekdays || monthDays.length > 0 || hours || minutes || seconds;

  // Asked for the same day many times over (once per period): the last answer is kept.
  let lastDay = NaN;
  let lastAllowed = false;
  const dayAllowed = (day: number): boolean => {
    if (day !== lastDay) {
      lastDay = day;
      lastAllowed = dayPasses(day);
    }
    return lastAllowed;
  };
  const dayPasses = (day: number): boolean => {
    const d = new Date(day);
    if (months && !months.includes(d.getUTCMonth() + 1)) return false;
    if (weekdays && !weekdays.includes((d.getUTCDay() + 6) % 7)) return false;
    if (monthDays.length > 0) {
      const dim = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      const md = d.getUTCDate();
      if (!monthDays.some((x) => (x > 0 ? x === md : dim + x + 1 === md))) return false;
    }
    return true;
  };
  /** The period itself when it is allowed, else the earliest time after it that may be. */
  const nextCandidate = (p: number): number => {
    const day = p - (((p % DAY) + DAY) % DAY);
    if (!dayAllowed(day)) return day + DAY;
    const t = p - day;
    const h = Math.floor(t / HOUR);
    const m = Math.floor((t % HOUR) / MINUTE);
    const s = Math.floor((t % MINUTE) / SECOND);
    if (hours && !hours.includes(h)) {
      const nh = nextIn(hours, h);
      return nh === undefined ? day + DAY : day + nh * HOUR;
    }
    if (minutes && !minutes.includes(m)) {
      const nm = nextIn(minutes, m);
      return nm === undefined ? day + (h + 1) * HOUR : day + h * HOUR + nm * MINUTE;
    }
    if (seconds && !seconds.includes(s)) {
      const ns = nextIn(seconds, s);
      return ns === undefined ? day + h * HOUR + (m + 1) * MINUTE : day + h * HOUR + m * MINUTE + ns * SECOND;
    }
    return p;
  };

  let k = 0;
  let counted = 0;
  if (!limited) {
    // Every period counts: seek straight to the range, and count what lies before it.
    k = Math.max(0, Math.floor((fromF - unit - base) / step));
    if (k > 0) counted = k * inPeriod.length - inPeriod.filter((x) => base + x < start).length;
  } else if (count === Infinity) {
    k = Math.max(0, Math.floor((fromF - unit - base) / step));
  }
  const starts: number[] = [];
  for (let steps = 0; ; steps++) {
    if (steps >= STEP_BUDGET) return { starts, stopped: 'budget' };
    const p = base + k * step;
    if (p > hi || counted >= count) return { starts };
    const c = limited ? nextCandidate(p) : p;
    if (c !== p) {
      k = Math.max(k + 1, Math.ceil((c - base) / step));
      continue;
    }
    for (const x of inPeriod) {
      const t = p + x;
      if (t < start) continue;
      if (t > hi || counted >= count) return { starts };
      counted++;
      if (t < fromF) continue;
      if (starts.length >= limit) return { starts, stopped: 'limit' };
      starts.push(t);
    }
    k++;
  }
}
