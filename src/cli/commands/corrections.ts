// `corrections`: mail a short correction to the readers whose copy of the last issue listed an event that has since moved or been cancelled.
import { changeSummary, planCorrections, sendCorrections } from '../../changes/send-corrections.ts';
import { DigestError } from '../../errors.ts';
import { requireValid } from '../../events/sources.ts';
import type { RunCounts } from '../../mail/sender.ts';
import type { Context } from '../context.ts';
import { requirePostalAddress } from '../../mail/postal-address.ts';
import { cliClient } from '../audit-client.ts';
import { refuseRealSend } from '../../mail/real-send.ts';
import { stoppableBySignals } from '../stop-signals.ts';
import { boundHeapGrowth } from '../worker.ts';
import { summary, transportFor } from './send.ts';

export interface CorrectionsOptions {
  dryRun?: boolean;
  json?: boolean;
}

export async function correctionsCommand(ctx: Context, opts: CorrectionsOptions): Promise<number> {
  const { config } = ctx;
  if (!opts.dryRun) refuseRealSend(config, 'corrections');
  const noPostal = requirePostalAddress(config, !opts.dryRun);
  if (noPostal) ctx.io.err(`event-digest: warning: ${noPostal}`);
  const calendar = requireValid(await ctx.loadEvents());
  const store = await ctx.openStore();
  const plan = await planCorrections(config, store, calendar, ctx.clock);
  const none: RunCounts = { sent: 0, skipped: 0, failed: 0, deferred: 0 };
  if (!plan) {
    if (!opts.json) ctx.io.out('no issue has been sent yet: nothing to correct');
    summary(ctx, none, opts.json, { issue: null, changes: [] });
    return 0;
  }
  const changes = changeSummary(plan, config.timezone);
  const pending = plan.groups.reduce((n, g) => n + g.pending.length, 0);
  if (!opts.json) {
    ctx.io.out(`the ${plan.issue.windowStart} issue (${plan.label}): ${changes.length} change${changes.length === 1 ? '' : 's'} since it was sent`);
    for (const c of changes) ctx.io.out(`  ${c.line} — reaches ${c.readers} reader${c.readers === 1 ? '' : 's'}, ${c.pending} not told yet`);
  }
  if (opts.dryRun) {
    if (!opts.json) ctx.io.out(`dry run: ${pending} correction${pending === 1 ? '' : 's'} would be sent; nothing was sent or recorded`);
    summary(ctx, none, opts.json, { dryRun: true, issue: plan.issue.windowStart, changes, wouldSend: pending });
    return 0;
  }
  boundHeapGrowth();
  const transport = transportFor(ctx);
  try {
    const r = await stoppableBySignals(ctx.io, 'corrections', (stopRequested) => sendCorrections({ config, store, transport, clock: ctx.clock }, plan, { stopRequested }));
    if (r.kind === 'locked') {
      throw new DigestError('LOCKED', `the corrections to the ${plan.issue.windowStart} issue are being sent by ${r.heldBy.holder} (since ${r.heldBy.acquiredAt}); not sending twice`);
    }
    if (r.counts.sent > 0) await store.audit.record({ action: 'corrections', detail: `the ${plan.issue.windowStart} issue: ${r.counts.sent} sent`, client: cliClient() });
    if (r.stopped) ctx.io.err(`event-digest: stopped early: ${r.stopped}; nothing done so far is lost, run corrections again to go on`);
    summary(ctx, r.counts, opts.json, { issue: plan.issue.windowStart, changes, stopped: r.stopped ?? null });
    return r.counts.failed > 0 || r.counts.deferred > 0 || r.stopped ? 1 : 0;
  } finally {
    await transport.close();
  }
}
