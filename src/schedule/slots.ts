// The schedule's slots as issue dates: one issue per slot, dated by the local day of the slot (as the scheduler dates it).
import { DateTime } from 'luxon';
import { nextRun, previousRun } from './next-run.ts';

export interface Schedule {
  /** Cron expression, in `zone`. */
  expression: string;
  zone: string;
}

const dateOf = (t: DateTime, zone: string) => t.setZone(zone).toISODate() as string;

/** The issue date of the latest slot at or before `now`: what the scheduler would be sending. */
export function latestSlotDate(s: Schedule, now: Date): string | undefined {
  const t = previousRun(s.expression, s.zone, now);
  return t && dateOf(t, s.zone);
}

/** The issue date of the first slot after `now`. */
export function nextSlotDate(s: Schedule, now: Date): string | undefined {
  const t = nextRun(s.expression, s.zone, now);
  return t && dateOf(t, s.zone);
}

/** Whether the schedule fires on that local day. */
export function isSlotDate(s: Schedule, date: string): boolean {
  const dayStart = DateTime.fromISO(date, { zone: s.zone }).startOf('day');
  const t = nextRun(s.expression, s.zone, new Date(dayStart.toMillis() - 1));
  return t !== undefined && dateOf(t, s.zone) === date;
}

/** The slot dates either side of a date that is not one (for the error that names them). */
export function nearestSlotDates(s: Schedule, date: string): { before?: string; after?: string } {
  const dayStart = DateTime.fromISO(date, { zone: s.zone }).startOf('day');
  const before = previousRun(s.expression, s.zone, new Date(dayStart.toMillis() - 1));
  const after = nextRun(s.expression, s.zone, new Date(dayStart.plus({ days: 1 }).toMillis() - 1));
  return { before: before && dateOf(before, s.zone), after: after && dateOf(after, s.zone) };
}

/** "2016-11-28 or 2016-12-05": the nearest slots, for a one-line refusal. */
export function nearestSlotsText(s: Schedule, date: string): string {
  const { before, after } = nearestSlotDates(s, date);
  return [before, after].filter(Boolean).join(' or ') || 'none within a year';
}
