// `send`: build that week's issue and mail it to every active subscriber who has not had it yet.
import { cutFindings, selectWindow } from '../../calendar/select.ts';
import { changesSincePrevious } from '../../changes/previous.ts';
import { windowFor } from '../../calendar/window.ts';
import { selectionPolicy } from '../../config/schema.ts';
import { DigestError } from '../../errors.ts';
import { formatFinding } from '../../events/finding.ts';
import { requireValid } from '../../events/sources.ts';
import type { ReplyCount } from '../../mail/ledger.ts';
import { issueNote, listSlug, messageFactory, messageIdParts, sendIssue, type SendContext } from '../../mail/send-issue.ts';
import type { RunCounts } from '../../mail/sender.ts';
import { sendTestMessage } from '../../mail/test-send.ts';
import { requirePostalAddress } from '../../mail/postal-address.ts';
import type { MailTransport } from '../../mail/transport.ts';
import { transportFromConfig } from '../../mail/transports/from-config.ts';
import { windowLabels } from '../../render/subject.ts';
import { cliClient } from '../audit-client.ts';
import type { Context } from '../context.ts';
import { progressReporter } from '../progress.ts';
import { stoppableBySignals } from '../stop-signals.ts';
import { boundHeapGrowth } from '../worker.ts';
import { deadLinksProblem, refuseRealSend } from '../../mail/real-send.ts';
import { issueDate, refuseOffSchedule, refuseOverlap } from '../send-checks.ts';

export interface SendCommandOptions {
  asOf?: string;
  dryRun?: boolean;
  to?: string;
  json?: boolean;
  offSchedule?: boolean;
  overlap?: boolean;
}

/** A dry run builds every message and hands none over: a transport that refuses is the proof. */
const noTransport: MailTransport = {
  name: 'dry run',
  concurrency: 1,
  send: () => Promise.reject(new Error('a dry run sends nothing')),
  close: async () => {},
};

export function transportFor(ctx: Context): MailTransport {
  return transportFromConfig(ctx.config, ctx.io.cwd);
}

/** One line per distinct server reply: why mail did not go, as the server said it. */
function replyLines(ctx: Context, replies: ReplyCount[]): void {
  for (const r of replies) ctx.io.out(`  ${r.state} ${r.count}: ${r.reply}`);
}

export function summary(ctx: Context, counts: RunCounts, json: boolean | undefined, extra: Record<string, unknown> = {}): void {
  if (json) ctx.io.out(JSON.stringify({ sent: counts.sent, skipped: counts.skipped, failed: counts.failed, deferred: counts.deferred, ...extra }));
  else ctx.io.out(`sent ${counts.sent}, skipped ${counts.skipped}, failed ${counts.failed}, deferred ${counts.deferred}`);
}

export async function sendCommand(ctx: Context, opts: SendCommandOptions): Promise<number> {
  const { config } = ctx;
  const asOf = issueDate(config, ctx.clock, opts.asOf);
  if (opts.to !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(opts.to)) throw new DigestError('USAGE', `--to: '${opts.to}' is not an email address`);
  const real = !opts.dryRun && opts.to === undefined;
  const deadLinks = deadLinksProblem(config);
  if (real) refuseRealSend(config);
  if (deadLinks && !opts.dryRun) ctx.io.err(`event-digest: warning: ${deadLinks}`);
  const noPostal = requirePostalAddress(config, !opts.dryRun);
  if (noPostal) ctx.io.err(`event-digest: warning: ${noPostal}`);
  if (real && !opts.offSchedule) refuseOffSchedule(config, asOf);
  const calendar = requireValid(await ctx.loadEvents());
  const selection = selectWindow(calendar.events, windowFor(asOf, config.weeks, config.timezone), selectionPolicy(config));
  for (const f of cutFindings(selection)) ctx.io.err(formatFinding(f));
  const store = await ctx.openStore();
  if (real && !opts.overlap) await refuseOverlap(config, store, selection.window);
  const transport = opts.dryRun ? noTransport : transportFor(ctx);
  const note = await issueNote(config, store, selection.window.startDate);
  // The badges against the previous sent issue, for the test message and the dry run as for the send.
  const changes = await changesSincePrevious(store, listSlug(config), calendar, selection);
  const sctx: SendContext = { config, calendar, selection, store, transport, clock: ctx.clock, note, changes, warn: (m) => ctx.io.err(`warning: ${m}`) };
  // The calendar is loaded: from here on a message per reader, garbage by the gigabyte.
  boundHeapGrowth();
  try {
    if (opts.to !== undefined) return await testSend(ctx, sctx, opts.to, opts.json);
    if (opts.dryRun) return await dryRun(ctx, sctx, opts.json);
    const win = selection.window.startDate;
    if (await store.schedule.isHeld(listSlug(config), win)) {
      throw new DigestError('HELD', `the ${win} issue is held; \`event-digest release ${win}\` lets it go`);
    }

    const progress = progressReporter(ctx.io);
    let result;
    try {
      result = await stoppableBySignals(ctx.io, 'send', (stopRequested) => sendIssue(sctx, { stopRequested, onProgress: (d, t, c) => progress.update(d, t, c) }));
    } finally {
      progress.stop();
    }
    if (result.kind === 'quiet') {
      ctx.io.out(`nothing is scheduled for ${result.windowLabel}: no issue sent (quietWeek: skip)`);
      summary(ctx, { sent: 0, skipped: 0, failed: 0, deferred: 0 }, opts.json, { issue: null });
      return 0;
    }
    if (result.kind === 'locked') {
      const h = result.heldBy;
      throw new DigestError('LOCKED', `issue ${result.issue.windowStart} is being sent by ${h.holder} (since ${h.acquiredAt}, last seen ${h.heartbeatAt}); not sending twice`);
    }
    const { run, totals, issue } = result;
    const replies = totals.failed + totals.deferred > 0 ? await store.deliveries.replies(issue.id) : [];
    if (!opts.json) {
      ctx.io.out(`issue ${issue.id} (${windowLabels(selection.window).long}) via ${transport.name}: ${run.total} to go this run`);
      ctx.io.out(`ledger: sent ${totals.sent}, skipped ${totals.skipped}, failed ${totals.failed}, deferred ${totals.deferred}, still queued ${totals.queued + totals.sending}`);
      replyLines(ctx, replies);
    }
    if (run.stopped) ctx.io.err(`event-digest: stopped early: ${run.stopped}; nothing done so far is lost, run send again to go on`);
    summary(ctx, run.counts, opts.json, { issue: issue.id, stopped: run.stopped ?? null, ...(replies.length > 0 ? { replies } : {}) });
    return run.counts.failed > 0 || run.counts.deferred > 0 || run.stopped ? 1 : 0;
  } finally {
    await transport.close();
  }
}

/** --dry-run: renders every message that would go out, sends and records nothing. */
async function dryRun(ctx: Context, sctx: SendContext, json?: boolean): Promise<number> {
  const { config, selection, store } = sctx;
  const win = selection.window;
  if (selection.occurrences.length === 0 && config.quietWeek === 'skip') {
    ctx.io.out(`nothing is scheduled for ${windowLabels(win).long}: no issue would be sent (quietWeek: skip)`);
    summary(ctx, { sent: 0, skipped: 0, failed: 0, deferred: 0 }, json, { dryRun: true });
    return 0;
  }
  const issue = await store.issues.find(listSlug(config), win.startDate);
  // Each message only measured, then built over by the next: one buffer for the whole run, none per reader.
  const make = await messageFactory(sctx, 'dry-run', '', { reuse: true });
  const ids = messageIdParts(config, win.startDate);
  let would = 0;
  let bytes = 0;
  const counts: RunCounts = { sent: 0, skipped: 0, failed: 0, deferred: 0 };
  // Page by page: the list is streamed from the database, never loaded whole.
  for await (const page of store.subscribers.pages('active')) {
    for (const s of page) {
      const state = issue && (await store.deliveries.get(issue.id, s.id))?.state;
      if (state === 'sent' || state === 'failed' || state === 'skipped') continue;
      const m = await make(s, `${ids.prefix}${s.id}${ids.suffix}`);
      if ('skip' in m) counts.skipped++;
      else (would++, (bytes += m.raw.length));
    }
    // Back to the event loop between pages: V8's garbage collector finishes its work in tasks that run there.
    await new Promise((r) => setImmediate(r));
  }
  if (!json) ctx.io.out(`dry run: ${would} message${would === 1 ? '' : 's'} would be sent (${(bytes / 1024 / Math.max(1, would)).toFixed(1)} KB each on average), ${counts.skipped} skipped; nothing was sent or recorded`);
  summary(ctx, counts, json, { dryRun: true, wouldSend: would });
  return 0;
}

/** --to: the issue as a test to one address; records nothing. */
async function testSend(ctx: Context, sctx: SendContext, to: string, json?: boolean): Promise<number> {
  const r = await sendTestMessage(sctx, to);
  await sctx.store.audit.record({ action: 'test-send', detail: `the ${sctx.selection.window.startDate} issue${r.ok ? '' : ' (not accepted)'}`, client: cliClient() });
  const counts: RunCounts = { sent: 0, skipped: 0, failed: 0, deferred: 0 };
  if (r.ok) {
    counts.sent = 1;
    if (!json) ctx.io.out(`test message to ${to}: ${r.response}`);
  } else {
    counts[r.failure.kind === 'permanent' ? 'failed' : 'deferred'] = 1;
    ctx.io.err(`event-digest: test message to ${to} not accepted: ${r.failure.reply}`);
  }
  summary(ctx, counts, json, { test: true });
  return counts.sent === 1 ? 0 : 1;
}
