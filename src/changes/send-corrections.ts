// Applying corrections through the send ledger: one ledger "issue" per distinct set of changes, its readers queued,
// sent by the same runner as the digest (idempotent, resumable after a crash, one message per reader per set).
import type { Clock } from '../clock.ts';
import type { Config } from '../config/schema.ts';
import type { Calendar } from '../events/model.ts';
import type { Issue } from '../mail/ledger.ts';
import { envelopeAddress, listSlug } from '../mail/send-issue.ts';
import { lockClaimant, type LockHolder } from '../mail/send-lock.ts';
import { runSend, type RunCounts, type SenderDeps } from '../mail/sender.ts';
import type { MailTransport } from '../mail/transport.ts';
import { windowLabels } from '../render/subject.ts';
import type { Store } from '../store/store.ts';
import { readerLinks } from '../subscribers/links.ts';
import { greetingName } from '../subscribers/model.ts';
import { correctionLine, correctionMessage } from './correction-message.ts';
import { listedByPlace } from './copy-places.ts';
import { findCorrections, groupReaders, type CorrectionChange, type CorrectionGroup } from './corrections.ts';
import { DateTime } from 'luxon';

/** The ledger's list for a list's corrections: their rows never mix with the digest's issues. */
export const correctionsList = (config: Config) => `${listSlug(config)}~corrections`;

export interface CorrectionsPlan {
  /** The last sent issue the corrections are about. */
  issue: Issue;
  /** "Nov 28 – Dec 18, 2016". */
  label: string;
  changes: CorrectionChange[];
  /** Per distinct set of changes: the readers it reaches, and how many of them have not had it yet. */
  groups: (CorrectionGroup & { pending: number[] })[];
}

function issueWindowLabel(issue: Issue): string {
  const start = DateTime.fromISO(issue.windowStart, { zone: issue.timezone });
  const end = DateTime.fromISO(issue.windowEnd, { zone: issue.timezone });
  return windowLabels({ startMs: start.toMillis(), endMs: end.toMillis(), zone: issue.timezone, startDate: issue.windowStart, endDate: issue.windowEnd }).long;
}

const groupKey = (issue: Issue, g: CorrectionGroup) => `${issue.windowStart}~${g.fingerprint}`;

/** What `corrections` would do now: undefined when no issue was sent yet. Nothing is written. */
export async function planCorrections(config: Config, store: Store, calendar: Calendar, clock: Clock): Promise<CorrectionsPlan | undefined> {
  const last = await store.snapshots.latestBefore(listSlug(config), '9999-12-31');
  if (!last) return undefined;
  const changes = findCorrections(last.snapshot, calendar, clock.now().getTime());
  const readers = await store.deliveries.readers(last.issue.id);
  const listed = changes.length === 0 ? undefined : await listedByPlace(config, last.snapshot, readers);
  const groups = [];
  for (const g of groupReaders(changes, readers, listed)) {
    const done = await store.issues.find(correctionsList(config), groupKey(last.issue, g));
    const pending: number[] = [];
    for (const id of g.subscriberIds) {
      const state = done && (await store.deliveries.get(done.id, id))?.state;
      if (state !== 'sent' && state !== 'failed' && state !== 'skipped') pending.push(id);
    }
    groups.push({ ...g, pending });
  }
  return { issue: last.issue, label: issueWindowLabel(last.issue), changes, groups };
}

/** Each change once (in the list's zone) with how many readers it reaches, and how many still need it. */
export function changeSummary(plan: CorrectionsPlan, zone: string) {
  return plan.changes.map((c) => {
    const groups = plan.groups.filter((g) => g.changes.includes(c));
    return {
      key: c.before.key,
      kind: c.kind,
      line: correctionLine(c, zone),
      readers: groups.reduce((n, g) => n + g.subscriberIds.length, 0),
      pending: groups.reduce((n, g) => n + g.pending.length, 0),
    };
  });
}

export interface CorrectionsContext {
  config: Config;
  store: Store;
  transport: MailTransport;
  clock: Clock;
}

export type CorrectionsResult = { kind: 'locked'; issue: Issue; heldBy: LockHolder } | { kind: 'sent'; counts: RunCounts; stopped?: string };

/** Sends each group's correction to its readers who have not had it; a rerun sends nothing twice. */
export async function sendCorrections(ctx: CorrectionsContext, plan: CorrectionsPlan, opts: Pick<SenderDeps, 'stopRequested' | 'sleep'> = {}): Promise<CorrectionsResult> {
  const { config, store } = ctx;
  const counts: RunCounts = { sent: 0, skipped: 0, failed: 0, deferred: 0 };
  const secret = await store.meta.linkSecret();
  const domain = envelopeAddress(config.from).split('@')[1] ?? 'localhost';
  for (const g of plan.groups) {
    const key = groupKey(plan.issue, g);
    const issue = await store.issues.issueFor({ list: correctionsList(config), windowStart: key, windowEnd: plan.issue.windowEnd, timezone: plan.issue.timezone, subject: `Corrections to the ${plan.issue.windowStart} issue` });
    const taken = await store.sendLocks.acquire(issue.id, lockClaimant({ staleMs: config.sending.lockStaleSeconds * 1000 }));
    if (!taken.ok) return { kind: 'locked', issue, heldBy: taken.heldBy };
    try {
      // Message-IDs are a function of (set, reader): a resend after a crash carries the same one.
      await store.deliveries.enqueue(issue.id, g.subscriberIds, `${listSlug(config)}.${key}.s`, `@${domain}`);
      const run = await runSend(issue, await store.deliveries.unfinished(issue.id), {
        ledger: store.deliveries,
        subscribers: { get: (id) => store.deliveries.recipient(id), suppress: (id, status) => store.subscribers.suppress(id, status) },
        transport: ctx.transport,
        message: async (r, messageId) => ({
          raw: await correctionMessage(config, plan.label, g.changes, { email: r.email, name: r.name, greeting: greetingName(r), zone: r.timezone, ...readerLinks(config.baseUrl, secret, r.id) }, messageId, ctx.clock.now()),
          from: envelopeAddress(config.from),
          to: r.email,
          messageId,
          issueKey: `${listSlug(config)}-corrections-${plan.issue.windowStart}`,
        }),
        retries: config.sending.retries,
        backoffMs: config.sending.backoffMs,
        stopAfterFailures: config.sending.stopAfterFailures,
        lock: taken.lock,
        stopRequested: opts.stopRequested,
        sleep: opts.sleep,
      });
      for (const k of Object.keys(counts) as (keyof RunCounts)[]) counts[k] += run.counts[k];
      if (run.stopped) return { kind: 'sent', counts, stopped: run.stopped };
    } finally {
      await taken.lock.release();
    }
  }
  return { kind: 'sent', counts };
}
