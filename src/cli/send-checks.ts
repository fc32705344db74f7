// What a manual `send` checks before it creates an issue: one issue per slot of the schedule, no
// window overlapping an issue already sent (links and the postal address: src/mail/real-send.ts).
import { DateTime } from 'luxon';
import type { Window } from '../calendar/window.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config/schema.ts';
import { DigestError } from '../errors.ts';
import { listSlug } from '../mail/send-issue.ts';
import { isSlotDate, latestSlotDate, nearestSlotsText, type Schedule } from '../schedule/slots.ts';
import type { Store } from '../store/store.ts';
import { parseDateOption } from './args.ts';

export function scheduleOf(config: Config): Schedule {
  return { expression: config.schedule, zone: config.timezone };
}

/** --as-of as given, or the latest slot at or before now: the issue the scheduler would be sending. */
export function issueDate(config: Config, clock: Clock, asOf: string | undefined): string {
  if (asOf !== undefined) return parseDateOption(asOf, '--as-of', clock, config.timezone);
  const latest = latestSlotDate(scheduleOf(config), clock.now());
  if (!latest) throw new DigestError('USAGE', `schedule '${config.schedule}' has no slot in the past year; give --as-of DATE`);
  return latest;
}

/** A date the schedule never fires on would start an issue beside the regular ones. */
export function refuseOffSchedule(config: Config, date: string): void {
  const s = scheduleOf(config);
  if (isSlotDate(s, date)) return;
  throw new DigestError(
    'USAGE',
    `--as-of ${date} is not a slot of the schedule '${config.schedule}' (${config.timezone}); the nearest are ${nearestSlotsText(s, date)}; --off-schedule sends it anyway`,
  );
}

/** Issues already sent whose window shares days with this one: their readers would get those events twice. */
export async function refuseOverlap(config: Config, store: Store, win: Window): Promise<void> {
  const list = listSlug(config);
  // An issue already begun is being finished, not started: it was let through when it began.
  if (await store.issues.find(list, win.startDate)) return;
  const problems: string[] = [];
  for (const issue of await store.issues.list(list)) {
    if (issue.windowEnd <= win.startDate || issue.windowStart >= win.endDate) continue;
    const { sent } = await store.deliveries.counts(issue.id);
    if (sent === 0) continue;
    const from = issue.windowStart > win.startDate ? issue.windowStart : win.startDate;
    const to = issue.windowEnd < win.endDate ? issue.windowEnd : win.endDate;
    problems.push(`the ${issue.windowStart} issue went to ${sent} reader${sent === 1 ? '' : 's'}, who would get the events of ${dayRange(from, to, config.timezone)} twice`);
  }
  if (problems.length === 0) return;
  throw new DigestError('USAGE', `the ${win.startDate} window overlaps issues already sent: ${problems.join('; ')}; --overlap sends it anyway`);
}

function dayRange(from: string, toExclusive: string, zone: string): string {
  const last = DateTime.fromISO(toExclusive, { zone }).minus({ days: 1 });
  const first = DateTime.fromISO(from, { zone });
  return `${first.toFormat('LLL d')} – ${last.toFormat('LLL d')}`;
}
