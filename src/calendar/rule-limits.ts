// What makes a recurrence rule unsafe to hand to an expander: BY parts that never meet, shapes we do not expand.
import type rrulePkg from 'rrule';
import { isSubDaily, timesNeverAlign, unsupportedSubDaily } from './sub-daily.ts';

type RRuleT = InstanceType<typeof rrulePkg.RRule>;

const DAY = 86_400_000;
/** Every weekday of every date, leap days included, comes round within 28 years. */
const CYCLE_YEARS = 28;

/**
 * Whether no day in a 28-year cycle passes the rule's day filters (BYMONTH, BYMONTHDAY, BYDAY,
 * BYYEARDAY; an ordinal BYDAY counted as its weekday). rrule.js looks for the next instance of
 * such a rule until the year 9999: "every day of February 30" takes it half a minute.
 */
function daysNeverMeet(rule: RRuleT): boolean {
  const o = rule.options;
  const months = o.bymonth ?? [];
  const weekdays = [...(o.byweekday ?? []), ...(o.bynweekday ?? []).map(([w]) => w)];
  const monthDays = [...(o.bymonthday ?? []), ...(o.bynmonthday ?? [])];
  const yearDays = o.byyearday ?? [];
  if (months.length + weekdays.length + monthDays.length + yearDays.length === 0) return false;
  const first = Date.UTC(o.dtstart.getUTCFullYear(), 0, 1);
  const last = Date.UTC(o.dtstart.getUTCFullYear() + CYCLE_YEARS, 0, 1);
  for (let day = first; day < last; day += DAY) {
    const d = new Date(day);
    const y = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    if (months.length > 0 && !months.includes(month)) continue;
    if (weekdays.length > 0 && !weekdays.includes((d.getUTCDay() + 6) % 7)) continue;
    if (monthDays.length > 0) {
      const dim = new Date(Date.UTC(y, month, 0)).getUTCDate();
      if (!monthDays.some((x) => (x > 0 ? x === d.getUTCDate() : dim + x + 1 === d.getUTCDate()))) continue;
    }
    if (yearDays.length > 0) {
      const yd = Math.round((day - Date.UTC(y, 0, 1)) / DAY) + 1;
      const len = Math.round((Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1)) / DAY);
      if (!yearDays.some((x) => (x > 0 ? x === yd : len + x + 1 === yd))) continue;
    }
    return false;
  }
  return true;
}

/** Why the rule cannot be expanded safely ("RRULE has …"), or undefined. Validation turns it into an error, so expansion never sees such a rule. */
export function unsafeRule(rule: RRuleT): string | undefined {
  if (isSubDaily(rule)) {
    const why = unsupportedSubDaily(rule);
    if (why) return why;
    if (timesNeverAlign(rule)) return 'an INTERVAL that never lands on the times its BYHOUR/BYMINUTE/BYSECOND allow: it has no instance';
  }
  return daysNeverMeet(rule) ? 'BY parts that never meet (no day has them all): it has no instance' : undefined;
}
