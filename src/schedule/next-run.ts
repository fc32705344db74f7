// When the schedule fires next after an instant, from node-cron's own parse of the expression, in the list's zone.
import { DateTime } from 'luxon';
import cron from 'node-cron';
import { DigestError } from '../errors.ts';

/** The next firing strictly after `after`, or undefined if none within a year (e.g. 30 February). */
export function nextRun(expression: string, zone: string, after: Date): DateTime | undefined {
  const v = cron.validateDetailed(expression);
  if (!v.valid || !v.fields) throw new DigestError('CONFIG', `schedule: '${expression}' is not a cron expression (${v.errors.map((e) => e.message).join('; ')})`);
  const f = v.fields;
  const nums = (xs: (number | string)[]) => xs.filter((x): x is number => typeof x === 'number');
  const dom = new Set(nums(f.dayOfMonth));
  // node-cron writes Sunday as 0 (and accepts 7); luxon's weekday is 1..7, Monday first.
  const dow = new Set(nums(f.dayOfWeek).map((d) => d % 7));
  const months = new Set(f.month);
  const domAll = dom.size >= 31;
  const dowAll = dow.size >= 7;
  const start = DateTime.fromJSDate(after, { zone });
  const [hours, minutes, seconds] = [f.hour, f.minute, f.second].map((xs) => [...xs].sort((a, b) => a - b));
  for (let d = 0; d <= 366; d++) {
    const day = start.startOf('day').plus({ days: d });
    if (!months.has(day.month)) continue;
    const domOk = dom.has(day.day);
    const dowOk = dow.has(day.weekday % 7);
    // Cron's rule: with both fields restricted, either one matching is enough.
    if (!(domAll && dowAll) && !(domAll ? dowOk : dowAll ? domOk : domOk || dowOk)) continue;
    // On the first day, hours and minutes before `after` are skipped without building times.
    const first = d === 0;
    for (const h of hours) {
      if (first && h < start.hour) continue;
      for (const m of minutes) {
        if (first && h === start.hour && m < start.minute) continue;
        for (const s of seconds) {
          const t = day.set({ hour: h, minute: m, second: s });
          if (t.hour === h && t.toMillis() > after.getTime()) return t;
        }
      }
    }
  }
  return undefined;
}

/**
 * The latest firing at or before `at`: looked for in widening spans (an hour, a day, eight days,
 * 32 days, a year), so an every-minute schedule and a monthly one both cost a few steps.
 */
export function previousRun(expression: string, zone: string, at: Date): DateTime | undefined {
  for (const hours of [1, 24, 8 * 24, 32 * 24, 367 * 24]) {
    let t = nextRun(expression, zone, new Date(at.getTime() - hours * 3600_000 - 1));
    if (!t || t.toMillis() > at.getTime()) continue;
    for (;;) {
      const n = nextRun(expression, zone, t.toJSDate());
      if (!n || n.toMillis() > at.getTime()) return t;
      t = n;
    }
  }
  return undefined;
}
