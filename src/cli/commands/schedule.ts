// `schedule` (the daemon), `status`, and `hold` / `release` of an issue.
import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { isLocalDate } from '../../calendar/wall-time.ts';
import { escapeControls } from '../../control-chars.ts';
import { DigestError } from '../../errors.ts';
import { requirePostalAddress } from '../../mail/postal-address.ts';
import { listSlug } from '../../mail/send-issue.ts';
import { runDaemon } from '../../schedule/daemon.ts';
import { jsonLogger } from '../../schedule/log.ts';
import { nextRun } from '../../schedule/next-run.ts';
import { isSlotDate, nearestSlotsText, nextSlotDate } from '../../schedule/slots.ts';
import { createApp } from '../../web/app.ts';
import { listen, type Listening } from '../../web/serve.ts';
import { cliClient } from '../audit-client.ts';
import type { Context } from '../context.ts';
import { hasErrors } from '../../events/finding.ts';
import { scheduleOf } from '../send-checks.ts';
import { whereLines } from './check.ts';
import { listenAddress, sharedEvents, untilSignal, webDeps } from './serve.ts';

export interface ScheduleOptions {
  web?: boolean;
  host?: string;
  port?: string;
}

export async function scheduleCommand(ctx: Context, opts: ScheduleOptions): Promise<number> {
  const log = jsonLogger(ctx.io.out, ctx.clock, ctx.verbose ? 'debug' : 'info');
  // Refused before anything starts, like serve.
  const address = opts.web === false ? undefined : listenAddress(ctx, opts);
  // So is a daemon that could never mail an issue: it must not look healthy.
  const noPostal = requirePostalAddress(ctx.config);
  if (noPostal) ctx.io.err(`event-digest: warning: ${noPostal}`);
  const events = await sharedEvents(ctx);
  const deps = await webDeps(ctx, events.calendar);
  const stop = untilSignal();
  let server: Listening | undefined;
  if (address) {
    const { host, port } = address;
    server = await listen(createApp({ ...deps, log: (line) => log.warn({ event: 'web' }, line), debug: (line) => log.debug({ event: 'web' }, line) }), host, port);
    log.info({ event: 'web.listening', url: server.url }, `web app at ${server.url}`);
  }
  try {
    // A send and a review mail load the calendar afresh (conditional requests keep that cheap); only pages share it.
    await runDaemon({ config: ctx.config, clock: ctx.clock, store: deps.store, loadEvents: () => ctx.loadEvents(), transport: deps.transport, log, outboxDir: resolve(ctx.io.cwd, ctx.config.outbox) }, { stop });
  } finally {
    events.stop();
    await server?.close();
    await deps.transport.close();
  }
  return 0;
}

/** ISSUE as hold, release and note take it: `next`, or the date of a slot of the schedule; any other date names no issue that is ever sent. */
export function issueOption(ctx: Context, value: string, verb: 'held' | 'released' | 'noted'): string {
  const schedule = scheduleOf(ctx.config);
  if (value === 'next') {
    const next = nextSlotDate(schedule, ctx.clock.now());
    if (!next) throw new DigestError('USAGE', `ISSUE: schedule '${ctx.config.schedule}' has no next slot within a year; nothing was ${verb}`);
    return next;
  }
  if (!isLocalDate(value)) throw new DigestError('USAGE', `ISSUE: '${value}' is not an issue date (YYYY-MM-DD, the day of a slot of \`schedule\`, or next)`);
  if (!isSlotDate(schedule, value)) {
    throw new DigestError('USAGE', `ISSUE: ${value} is not a slot of the schedule '${ctx.config.schedule}' (${ctx.config.timezone}); the nearest are ${nearestSlotsText(schedule, value)}; nothing was ${verb}`);
  }
  return value;
}

export async function holdCommand(ctx: Context, issue: string): Promise<number> {
  const date = issueOption(ctx, issue, 'held');
  const store = await ctx.openStore();
  await store.schedule.hold(listSlug(ctx.config), date);
  await store.audit.record({ action: 'hold', detail: `the ${date} issue`, client: cliClient() });
  ctx.io.out(`held the ${date} issue: neither the scheduler nor send will mail it until \`event-digest release ${date}\``);
  return 0;
}

export async function releaseCommand(ctx: Context, issue: string): Promise<number> {
  const store = await ctx.openStore();
  const list = listSlug(ctx.config);
  // A hold already in place is released whatever its date (one made before holds were checked against the schedule).
  const date = (await store.schedule.held(list)).includes(issue) ? issue : issueOption(ctx, issue, 'released');
  const released = await store.schedule.release(list, date);
  if (!released) throw new DigestError('NOT_FOUND', `the ${date} issue is not held`);
  await store.audit.record({ action: 'release', detail: `the ${date} issue`, client: cliClient() });
  ctx.io.out(`released the ${date} issue: the scheduler sends it at its next pass (within a minute) if its window has not ended`);
  return 0;
}

export async function statusCommand(ctx: Context, opts: { json?: boolean }): Promise<number> {
  const { config, clock } = ctx;
  const store = await ctx.openStore();
  const list = listSlug(config);
  const runs = await store.schedule.latestRuns(list, 10);
  const next = nextRun(config.schedule, config.timezone, clock.now());
  const issues = await store.issues.list(list);
  const locks = await store.sendLocks.holders();
  // PostgreSQL: the senders sharing an issue, each with what it has sent so far.
  const live = (await store.sendClaims?.live()) ?? [];
  const held = await store.schedule.held(list);
  const counts = await Promise.all(issues.map((i) => store.deliveries.counts(i.id)));
  const replies = await Promise.all(issues.map((i, k) => (counts[k].failed + counts[k].deferred > 0 ? store.deliveries.replies(i.id) : [])));
  const issueOf = (id: number) => issues.find((i) => i.id === id)?.windowStart ?? null;
  const local = (iso: string) => DateTime.fromISO(iso, { zone: config.timezone }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
  const corrections = await pendingCorrections(ctx);
  const doc = {
    config: ctx.configFile ?? null,
    database: ctx.dbPath(),
    schedule: config.schedule,
    timezone: config.timezone,
    lastRun: runs[0] ?? null,
    nextRun: next?.toISO() ?? null,
    sending: [
      ...locks.map((l) => ({ issue: issueOf(l.issueId), holder: l.holder, heartbeatAt: l.heartbeatAt, sent: undefined as number | undefined })),
      ...live.map((l) => ({ issue: issueOf(l.issueId), holder: l.holder, heartbeatAt: l.heartbeatAt, sent: l.sent })),
    ],
    held,
    runs,
    issues: issues.map((i, k) => ({ issue: i.windowStart, subject: i.subject, ...counts[k], replies: replies[k] })),
    corrections,
  };
  if (opts.json) {
    ctx.io.out(JSON.stringify(doc, null, 2));
    return 0;
  }
  const out = (line: string) => ctx.io.out(escapeControls(line));
  for (const l of whereLines(ctx)) out(l);
  out(`schedule: ${config.schedule} (${config.timezone})`);
  out(`next run: ${next ? local(next.toISO()!) : 'never'}`);
  const last = runs[0];
  out(`last run: ${last ? `${local(last.scheduledFor)}, the ${last.windowStart} issue: ${last.state}${last.detail ? ` (${last.detail})` : ''}` : 'none yet'}`);
  const sentSoFar = (s: { sent?: number }) => (s.sent === undefined ? '' : `, sent ${s.sent} so far`);
  out(`sending now: ${doc.sending.length === 0 ? 'no' : doc.sending.map((s) => `the ${s.issue} issue by ${s.holder} (last seen ${s.heartbeatAt}${sentSoFar(s)})`).join('; ')}`);
  if (held.length > 0) out(`held: ${held.join(', ')}`);
  out(issues.length === 0 ? 'issues: none yet' : 'issues:');
  for (const i of doc.issues) {
    out(`  ${i.issue}  sent ${i.sent}, failed ${i.failed}, deferred ${i.deferred}, skipped ${i.skipped}, not yet ${i.queued + i.sending}  ${i.subject}`);
    for (const r of i.replies) out(`      ${r.state} ${r.count}: ${r.reply}`);
  }
  if (corrections) {
    const n = corrections.changes.length;
    out(
      corrections.problem
        ? `corrections (${corrections.mode}): unknown, ${corrections.problem}`
        : `corrections (${corrections.mode}): ${n} change${n === 1 ? '' : 's'} to the ${corrections.issue} issue, ${corrections.pending} reader${corrections.pending === 1 ? '' : 's'} not told yet${corrections.pending > 0 ? ' (event-digest corrections)' : ''}`,
    );
    for (const c of corrections.changes) out(`  ${c.line} — ${c.pending} of ${c.readers} not told yet`);
  }
  return 0;
}

/** The corrections pending for the last sent issue (null before any was sent); the calendar is loaded only then. */
async function pendingCorrections(ctx: Context) {
  const { config } = ctx;
  const store = await ctx.openStore();
  if (!(await store.snapshots.latestBefore(listSlug(config), '9999-12-31'))) return null;
  const loaded = await ctx.loadEvents();
  const none = { mode: config.corrections, issue: null, changes: [], pending: 0 };
  if (hasErrors(loaded.findings)) return { ...none, problem: 'the calendar has errors (event-digest check)' };
  // Imported here: status without a sent issue loads no mail code.
  const { changeSummary, planCorrections } = await import('../../changes/send-corrections.ts');
  const plan = (await planCorrections(config, store, loaded.calendar, ctx.clock))!;
  const changes = changeSummary(plan, config.timezone);
  return { mode: config.corrections, issue: plan.issue.windowStart, changes, pending: plan.groups.reduce((n, g) => n + g.pending.length, 0), problem: null };
}
