// Sending one week's issue: find or create the issue, take its lock (SQLite) or join its senders (PostgreSQL),
// queue the active subscribers, and run the sender with a message factory that compiles each variant once.
import { hostname } from 'node:os';
import addressparser from 'nodemailer/lib/addressparser';
import { changesSincePrevious, type IssueChanges } from '../changes/previous.ts';
import { takeSnapshot } from '../changes/snapshot.ts';
import type { Clock } from '../clock.ts';
import { DigestError } from '../errors.ts';
import type { Selection } from '../calendar/select.ts';
import type { Config } from '../config/schema.ts';
import type { Calendar } from '../events/model.ts';
import { clipWarning } from '../render/clip.ts';
import type { CompiledVariant, ReaderFields } from '../render/compile.ts';
import { digestSettings, readerVariant, renderVariant, variantKey } from '../render/digest.ts';
import { digestSubject, windowLabels, type Variant } from '../render/digest-view.ts';
import { unguard } from '../render/safe-text.ts';
import type { SendClaimRepository, Store } from '../store/store.ts';
import { readerLinks } from '../subscribers/links.ts';
import { greetingName, type Subscriber } from '../subscribers/model.ts';
import type { Counts, Issue } from './ledger.ts';
import { issueNearby } from '../places/event-place.ts';
import type { Nearby } from '../places/nearby.ts';
import { placeLayer, type PlaceLayer } from '../places/place-layer.ts';
import { prepareVariantMime, rawMessage, type PreparedMime, type Scratch } from './fast-mime.ts';
import { listSlug } from './list-slug.ts';
import { listEnvelope, readerEnvelope } from './message.ts';
import { runSend, type RunCounts, type RunResult, type SenderDeps } from './sender.ts';
import { lockClaimant, type LockHolder, type SendLock } from './send-lock.ts';
import type { MailTransport, OutgoingMessage } from './transport.ts';

export interface SendContext {
  config: Config;
  calendar: Calendar;
  selection: Selection;
  store: Store;
  transport: MailTransport;
  clock: Clock;
  /** The organizer's note for this issue (`event-digest note`), shown at its top. */
  note?: string;
  /** Told once per variant whose HTML Gmail would clip. */
  warn?(message: string): void;
  /** The change badges against the previous sent issue (sendIssue looks them up when not given). */
  changes?: IssueChanges;
}

/** The note of the issue for a window, if the organizers wrote one. */
export function issueNote(config: Config, store: Store, windowStart: string): Promise<string | undefined> {
  return store.notes.get(listSlug(config), windowStart);
}

/** "readers in Europe/Berlin who chose webinars", "readers in America/New_York (every kind) near Columbus, OH". */
function variantText(v: Variant): string {
  return `readers in ${v.zone} ${v.kinds.length === 0 ? '(every kind)' : `who chose ${[...v.kinds].join(', ')}`}${v.near ? ` near ${v.near.name}` : ''}`;
}


export type SendIssueResult =
  | { kind: 'quiet'; windowLabel: string }
  | { kind: 'locked'; issue: Issue; heldBy: LockHolder }
  | { kind: 'sent'; issue: Issue; run: RunResult; totals: Counts };

/** The bare address of `Name <addr>`, for the SMTP envelope. */
export function envelopeAddress(from: string): string {
  const parsed = addressparser(from)[0] as { address?: string } | undefined;
  return parsed?.address || from;
}

export { listSlug };

/** Message-IDs are a function of (issue, subscriber), so a resend after a crash carries the same one. */
export function messageIdParts(config: Config, windowStart: string): { prefix: string; suffix: string } {
  const domain = envelopeAddress(config.from).split('@')[1] ?? 'localhost';
  return { prefix: `${listSlug(config)}.${windowStart}.s`, suffix: `@${domain}` };
}

/** Prepared variants kept at once during a send (each holds its whole QP-encoded body, about 100 KB). */
const MAX_KEPT_VARIANTS = 1000;

/**
 * Builds each reader's message; variants (zone × kinds × place) are compiled once and shared. With `reuse`, every
 * message is built into the same buffer: one is valid only until the next call (the dry run, which only measures).
 */
export async function messageFactory(ctx: SendContext, issueKey: string, subjectPrefix = '', opts: { reuse?: boolean } = {}) {
  const scratch: Scratch | undefined = opts.reuse ? {} : undefined;
  const settings = digestSettings(ctx.config, ctx.calendar);
  // Per variant: compiled once (MJML), and its MIME prepared once (fast-mime.ts); per reader only the holes.
  // Only what each message needs is kept: the compiled variant (its view, MJML source and HTML template) goes.
  const variants = new Map<string, Promise<{ quiet: boolean; subject: string; mime: PreparedMime }>>();
  const list = listEnvelope(ctx.config);
  const from = envelopeAddress(ctx.config.from);
  const secret = await ctx.store.meta.linkSecret();
  // Whether readers who did not get the previous issue see another digest: only when something changed or was cancelled.
  const changes = ctx.changes;
  const split = changes !== undefined && (changes.set.cancelled.length > 0 || [...changes.set.byKey.values()].some((c) => c.change === 'changed'));
  const extras = { note: ctx.note, changes: changes?.set };
  // The events' points: found once, the first time a reader with a place comes up (the gazetteer only then).
  let nearby: Promise<Nearby> | undefined;
  // A reader's place is a variant dimension: per zone × kinds (× receipt of the previous issue) one place layer
  // (MJML once per shape), per place its holes filled.
  const layers = new Map<string, PlaceLayer>();
  const compile = async (variant: Variant): Promise<CompiledVariant> => {
    if (!variant.near) return renderVariant(ctx.selection, variant, settings, extras);
    const places = await (nearby ??= issueNearby(ctx.selection, ctx.config.distanceUnit));
    const base = { zone: variant.zone, kinds: variant.kinds, fresh: variant.fresh };
    let layer = layers.get(variantKey(base));
    if (!layer) layers.set(variantKey(base), (layer = placeLayer(ctx.selection, base, settings, { ...extras, nearby: places })));
    return layer.variant(variant.near);
  };
  const warned = new Set<string>();
  const prepare = async (variant: Variant, reader: ReaderFields) => {
    const v = await compile(variant);
    // Reader fields add a few dozen bytes: the first reader's size stands for the variant's; told once per zone × kinds.
    const clipped = v.view.quiet ? undefined : clipWarning(Buffer.byteLength(v.html(reader)));
    const about = variantText({ zone: variant.zone, kinds: variant.kinds });
    if (clipped && !warned.has(about)) {
      warned.add(about);
      ctx.warn?.(`${variantText(variant)}: ${clipped}`);
    }
    return { quiet: v.view.quiet, subject: v.subject, mime: prepareVariantMime(v) };
  };
  return async (subscriber: Pick<Subscriber, 'id' | 'email' | 'name' | 'timezone' | 'kinds'> & Partial<Pick<Subscriber, 'firstName' | 'location' | 'radius'>>, messageId: string): Promise<OutgoingMessage | { skip: string }> => {
    // A reader who did not get the issue the badges compare with is another variant: no changed or cancelled entries.
    const variant = { ...readerVariant(subscriber, ctx.config), fresh: split && !changes.received.has(subscriber.id) };
    const key = variantKey(variant);
    const reader = { name: greetingName(subscriber), ...readerLinks(ctx.config.baseUrl, secret, subscriber.id) };
    let compiled = variants.get(key);
    if (compiled && variant.near) {
      // Most recently used last, so the bound below drops the place variants not seen for longest.
      variants.delete(key);
      variants.set(key, compiled);
    }
    if (!compiled) {
      variants.set(key, (compiled = prepare(variant, reader)));
      // Thousands of places would each keep a whole prepared body: a bounded number stays, the rest are remade when met again.
      if (variant.near && variants.size > MAX_KEPT_VARIANTS) for (const [k] of variants) if (k.split('|').length > 2 && variants.delete(k) && variants.size <= MAX_KEPT_VARIANTS) break;
    }
    const { quiet, subject, mime } = await compiled;
    if (quiet && ctx.config.quietWeek === 'skip') return { skip: 'nothing scheduled for the kinds this reader chose' };
    const raw = rawMessage(mime, reader, readerEnvelope(list, {
      to: { name: subscriber.name ?? undefined, address: subscriber.email },
      subject: subjectPrefix + subject,
      messageId,
      date: ctx.clock.now(),
      unsubscribeUrl: reader.unsubscribeUrl,
    }), scratch);
    return { raw, from, to: subscriber.email, messageId, issueKey };
  };
}

export interface SendOptions {
  stopRequested?: SenderDeps['stopRequested'];
  onProgress?: SenderDeps['onProgress'];
  sleep?: SenderDeps['sleep'];
  /** For tests: the lock's idea of who we are. */
  lockIdentity?: { pid: number; host: string };
}

export async function sendIssue(ctx: SendContext, opts: SendOptions = {}): Promise<SendIssueResult> {
  const { config, selection, store } = ctx;
  const win = selection.window;
  const labels = windowLabels(win);
  if (selection.occurrences.length === 0 && config.quietWeek === 'skip') return { kind: 'quiet', windowLabel: labels.long };
  ctx = { ...ctx, changes: ctx.changes ?? (await changesSincePrevious(store, listSlug(config), ctx.calendar, selection)) };
  // The issue's subject is the list's default reader's: digestSubject gives it without the entries' views or MJML.
  const subject = unguard(digestSubject(selection, { zone: config.timezone, kinds: [] }, digestSettings(config, ctx.calendar)));
  const issue = await store.issues.issueFor({ list: listSlug(config), windowStart: win.startDate, windowEnd: win.endDate, timezone: win.zone, subject });
  // Before the first message, and only once: a resumed send keeps the snapshot of the issue as it began.
  await store.snapshots.record(issue.id, takeSnapshot(selection, ctx.calendar, ctx.changes?.set, ctx.clock.now()));
  if (store.sendClaims) return sendShared(ctx, issue, store.sendClaims, opts);
  const taken = await store.sendLocks.acquire(issue.id, lockClaimant({ staleMs: config.sending.lockStaleSeconds * 1000, ...opts.lockIdentity }));
  if (!taken.ok) return { kind: 'locked', issue, heldBy: taken.heldBy };
  try {
    await enqueue(ctx, issue);
    const run = await runSend(issue, await store.deliveries.unfinished(issue.id), { ...(await senderDeps(ctx, issue, opts)), lock: taken.lock });
    return { kind: 'sent', issue, run, totals: await store.deliveries.counts(issue.id) };
  } finally {
    await taken.lock.release();
  }
}

/** Every active subscriber not yet in the issue's ledger is queued (each sender does it; a row is added once). */
async function enqueue(ctx: SendContext, issue: Issue): Promise<void> {
  const ids = messageIdParts(ctx.config, issue.windowStart);
  await ctx.store.deliveries.enqueueActive(issue.id, ids.prefix, ids.suffix);
}

/** What runSend needs besides the rows and the lock: the same for one sender and for several. */
async function senderDeps(ctx: SendContext, issue: Issue, opts: SendOptions): Promise<Omit<SenderDeps, 'lock'>> {
  const { config, store } = ctx;
  return {
    ledger: store.deliveries,
    // The re-read before each message takes only what a message needs (deliveries.recipient), not the whole row.
    subscribers: { get: (id) => store.deliveries.recipient(id), suppress: (id, status) => store.subscribers.suppress(id, status) },
    transport: ctx.transport,
    message: await messageFactory(ctx, `${issue.list}-${issue.windowStart}`),
    retries: config.sending.retries,
    backoffMs: config.sending.backoffMs,
    stopAfterFailures: config.sending.stopAfterFailures,
    stopRequested: opts.stopRequested,
    onProgress: opts.onProgress,
    sleep: opts.sleep,
  };
}

const defaultSleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/**
 * One of several senders on the issue (PostgreSQL): claims a batch, sends it, and claims the next until none is
 * free; then waits while other senders hold leases on rows not yet handed over, since a dead one's rows come free
 * when its lease runs out. Its counts are its own work; the totals are the issue's.
 */
async function sendShared(ctx: SendContext, issue: Issue, claims: SendClaimRepository, opts: SendOptions): Promise<SendIssueResult> {
  const { config, store } = ctx;
  const leaseMs = config.sending.leaseSeconds * 1000;
  const sleep = opts.sleep ?? defaultSleep;
  const claim = await claims.join(issue.id, { pid: opts.lockIdentity?.pid ?? process.pid, host: opts.lockIdentity?.host ?? hostname() }, leaseMs);
  const counts: RunCounts = { sent: 0, skipped: 0, failed: 0, deferred: 0 };
  let total = 0;
  let stopped: string | undefined;
  try {
    await enqueue(ctx, issue);
    const deps = await senderDeps(ctx, issue, opts);
    // The heartbeat renews this sender's leases well inside one lease, and tells `status` how far it is.
    let soFar = counts;
    const lock: SendLock = { issueId: issue.id, refresh: async () => (await claim.renew(soFar), true), release: async () => undefined };
    while (!stopped) {
      // Renewed before each claim too: a batch shorter than the heartbeat's period would otherwise never renew it.
      await claim.renew(soFar);
      const batch = await claim.claim(config.sending.claimBatch);
      if (batch.length === 0) {
        const wait = await claim.othersPending();
        if (wait === undefined) break;
        stopped = opts.stopRequested?.();
        if (stopped) break;
        await sleep(Math.min(Math.max(wait, 50), 1000));
        continue;
      }
      const before = { ...counts };
      // The readers came with the claim (a statement per batch, not per message; the status is checked again as each
      // 'sending' is recorded): each is taken from it once, and read again after that (a retry after a pause).
      const read = new Map(batch.map((d) => [d.subscriberId, d.recipient]));
      const get = async (id: number) => {
        if (!read.has(id)) return deps.subscribers.get(id);
        const reader = read.get(id);
        read.delete(id);
        return reader;
      };
      const run = await runSend(issue, batch, {
        ...deps,
        subscribers: { ...deps.subscribers, get },
        ledger: { markAll: (_issueId, changes) => claim.markAll(changes) },
        lock,
        heartbeatMs: Math.min(5_000, leaseMs / 3),
        onProgress: (done, _n, c) => {
          soFar = sum(before, c);
          opts.onProgress?.(total + done, total + batch.length, soFar);
        },
      });
      Object.assign(counts, sum(before, run.counts));
      total += run.total;
      stopped = run.stopped;
    }
  } catch (e) {
    // With the database gone (a DATABASE error) leaving would only wait as long again: the leases run out instead.
    if (!(e instanceof DigestError && e.code === 'DATABASE')) await claim.leave(counts).catch(() => undefined);
    throw e;
  }
  await claim.leave(counts);
  return { kind: 'sent', issue, run: { counts, total, stopped }, totals: await store.deliveries.counts(issue.id) };
}

const sum = (a: RunCounts, b: RunCounts): RunCounts => ({ sent: a.sent + b.sent, skipped: a.skipped + b.skipped, failed: a.failed + b.failed, deferred: a.deferred + b.deferred });
