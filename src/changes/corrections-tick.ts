// The daemon's part in corrections (config `corrections`): at each tick, mail the organizers what is pending (review) or send it (auto).
import { createHash } from 'node:crypto';
import { hasErrors } from '../events/finding.ts';
import { noticeMessage } from '../mail/notices.ts';
import type { SchedulerDeps } from '../schedule/scheduler.ts';
import { appUrl } from '../subscribers/links.ts';
import { correctionLine } from './correction-message.ts';
import { planCorrections, sendCorrections } from './send-corrections.ts';

export interface CorrectionsTickDeps extends SchedulerDeps {
  /** The scheduler's list (its review claims are kept under it). */
  list: string;
  stopRequested?: () => string | undefined;
}

export async function correctionsTick(deps: CorrectionsTickDeps): Promise<void> {
  const { config, store, log } = deps;
  if (config.corrections === 'off') return;
  const loaded = await deps.loadEvents();
  // A calendar with errors is not the calendar: nothing it seems to cancel is cancelled.
  if (hasErrors(loaded.findings)) return;
  const plan = await planCorrections(config, store, loaded.calendar, deps.clock);
  const pending = plan?.groups.filter((g) => g.pending.length > 0) ?? [];
  if (!plan || pending.length === 0) return;
  const readers = pending.reduce((n, g) => n + g.pending.length, 0);
  const ctx = { issue: plan.issue.windowStart, changes: plan.changes.length, readers };
  if (config.corrections === 'auto') {
    const r = await sendCorrections({ config, store, transport: deps.transport, clock: deps.clock }, plan, { stopRequested: deps.stopRequested });
    if (r.kind === 'locked') return void log.info({ event: 'corrections.locked', ...ctx, holder: r.heldBy.holder }, `the corrections are being sent by ${r.heldBy.holder}`);
    log[r.counts.failed + r.counts.deferred > 0 ? 'warn' : 'info']({ event: 'corrections.sent', ...ctx, ...r.counts }, `corrections to the ${plan.issue.windowStart} issue: sent ${r.counts.sent}, skipped ${r.counts.skipped}, failed ${r.counts.failed}, deferred ${r.counts.deferred}`);
    return;
  }
  // review: once per pending set, whatever the number of daemons (the review claim of the scheduler, keyed by the set).
  const key = `corrections ${plan.issue.windowStart} ${createHash('sha256').update(pending.map((g) => `${g.fingerprint}:${g.pending.join(',')}`).join(';')).digest('hex').slice(0, 16)}`;
  if (!(await store.schedule.claimReview(deps.list, key))) return;
  const to = config.scheduler.review?.to ?? [];
  if (to.length === 0) {
    log.warn({ event: 'corrections.pending', ...ctx }, `${plan.changes.length} change(s) to the ${plan.issue.windowStart} issue would reach ${readers} reader(s): run event-digest corrections (no scheduler.review address to tell)`);
    return;
  }
  try {
    for (const address of to) {
      const m = await noticeMessage(
        config,
        {
          to: { address },
          subject: `[Review] Corrections to the ${plan.issue.windowStart} issue of ${config.listName}`,
          paragraphs: [
            `Since the ${plan.label} issue went out, ${plan.changes.length === 1 ? 'this event has' : 'these events have'} moved or been cancelled:`,
            plan.changes.map((c) => `- ${correctionLine(c, config.timezone)}`).join('\n'),
            `A short correction would go to ${readers} reader${readers === 1 ? '' : 's'} whose copy listed ${plan.changes.length === 1 ? 'it' : 'them'}. Send it with event-digest corrections, or from the organizer page:`,
          ],
          action: { label: 'Review the corrections', url: appUrl(config.baseUrl, 'admin/corrections') },
        },
        deps.clock.now(),
      );
      await deps.transport.send({ ...m, issueKey: 'reviews' });
    }
    log.info({ event: 'corrections.review', ...ctx, to }, `the pending corrections to the ${plan.issue.windowStart} issue were mailed for review`);
  } catch (e) {
    await store.schedule.unclaimReview(deps.list, key);
    throw e;
  }
}
