// Sending one week's issue: find or create the issue, take its lock, queue the active subscribers,
// and run the sender with a message factory that compiles each variant once.
import addressparser from 'nodemailer/lib/addressparser';
import type { Clock } from '../clock.ts';
import type { Selection } from '../calendar/select.ts';
import type { Config } from '../config/schema.ts';
import type { Calendar } from '../events/model.ts';
import { clipWarning } from '../render/clip.ts';
import type { CompiledVariant, ReaderFields } from '../render/compile.ts';
import { digestSettings, renderVariant, variantKey } from '../render/digest.ts';
import { buildDigestView, windowLabels, type Variant } from '../render/digest-view.ts';
import { unguard } from '../render/safe-text.ts';
import type { Store } from '../store/store.ts';
import { readerLinks } from '../subscribers/links.ts';
import { greetingName, type Subscriber } from '../subscribers/model.ts';
import type { Counts, Issue } from './ledger.ts';
import { prepareVariantMime, rawMessage, type PreparedMime } from './fast-mime.ts';
import { listEnvelope, readerEnvelope } from './message.ts';
import { runSend, type RunResult, type SenderDeps } from './sender.ts';
import { lockClaimant, type LockHolder } from './send-lock.ts';
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
}

/** The note of the issue for a window, if the organizers wrote one. */
export function issueNote(config: Config, store: Store, windowStart: string): Promise<string | undefined> {
  return store.notes.get(listSlug(config), windowStart);
}

/** "readers in Europe/Berlin who chose webinars", "readers in America/New_York (every kind)". */
function variantText(v: Variant): string {
  return `readers in ${v.zone} ${v.kinds.length === 0 ? '(every kind)' : `who chose ${[...v.kinds].join(', ')}`}`;
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

export function listSlug(config: Config): string {
  return config.listName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'digest';
}

/** Message-IDs are a function of (issue, subscriber), so a resend after a crash carries the same one. */
export function messageIdParts(config: Config, windowStart: string): { prefix: string; suffix: string } {
  const domain = envelopeAddress(config.from).split('@')[1] ?? 'localhost';
  return { prefix: `${listSlug(config)}.${windowStart}.s`, suffix: `@${domain}` };
}

/** Builds each reader's message; variants (zone × kinds) are compiled once and shared. */
export async function messageFactory(ctx: SendContext, issueKey: string, subjectPrefix = '') {
  const settings = digestSettings(ctx.config, ctx.calendar);
  // Per variant: compiled once (MJML), and its MIME prepared once (fast-mime.ts); per reader only the holes.
  const variants = new Map<string, Promise<{ v: CompiledVariant; mime: PreparedMime }>>();
  const list = listEnvelope(ctx.config);
  const from = envelopeAddress(ctx.config.from);
  const secret = await ctx.store.meta.linkSecret();
  const prepare = async (variant: Variant, reader: ReaderFields) => {
    const v = await renderVariant(ctx.selection, variant, settings, { note: ctx.note });
    // Reader fields add a few dozen bytes: the first reader's size stands for the variant's.
    const clipped = v.view.quiet ? undefined : clipWarning(Buffer.byteLength(v.html(reader)));
    if (clipped) ctx.warn?.(`${variantText(variant)}: ${clipped}`);
    return { v, mime: prepareVariantMime(v) };
  };
  return async (subscriber: Pick<Subscriber, 'id' | 'email' | 'name' | 'timezone' | 'kinds'> & { firstName?: string | null }, messageId: string): Promise<OutgoingMessage | { skip: string }> => {
    const variant = { zone: subscriber.timezone, kinds: subscriber.kinds };
    const key = variantKey(variant);
    const reader = { name: greetingName(subscriber), ...readerLinks(ctx.config.baseUrl, secret, subscriber.id) };
    let compiled = variants.get(key);
    if (!compiled) variants.set(key, (compiled = prepare(variant, reader)));
    const { v, mime } = await compiled;
    if (v.view.quiet && ctx.config.quietWeek === 'skip') return { skip: 'nothing scheduled for the kinds this reader chose' };
    const raw = rawMessage(mime, reader, readerEnvelope(list, {
      to: { name: subscriber.name ?? undefined, address: subscriber.email },
      subject: subjectPrefix + v.subject,
      messageId,
      date: ctx.clock.now(),
      unsubscribeUrl: reader.unsubscribeUrl,
    }));
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
  // The issue's subject is the list's default reader's; the view has it, no MJML compile needed.
  const subject = unguard(buildDigestView(selection, { zone: config.timezone, kinds: [] }, digestSettings(config, ctx.calendar)).subject);
  const issue = await store.issues.issueFor({ list: listSlug(config), windowStart: win.startDate, windowEnd: win.endDate, timezone: win.zone, subject });
  const taken = await store.sendLocks.acquire(issue.id, lockClaimant({ staleMs: config.sending.lockStaleSeconds * 1000, ...opts.lockIdentity }));
  if (!taken.ok) return { kind: 'locked', issue, heldBy: taken.heldBy };
  try {
    const ids = messageIdParts(config, win.startDate);
    await store.deliveries.enqueueActive(issue.id, ids.prefix, ids.suffix);
    const pending = await store.deliveries.unfinished(issue.id);
    const run = await runSend(issue, pending, {
      ledger: store.deliveries,
      // The re-read before each message takes only what a message needs (deliveries.recipient), not the whole row.
      subscribers: { get: (id) => store.deliveries.recipient(id), suppress: (id, status) => store.subscribers.suppress(id, status) },
      transport: ctx.transport,
      message: await messageFactory(ctx, `${listSlug(config)}-${win.startDate}`),
      retries: config.sending.retries,
      backoffMs: config.sending.backoffMs,
      stopAfterFailures: config.sending.stopAfterFailures,
      lock: taken.lock,
      stopRequested: opts.stopRequested,
      onProgress: opts.onProgress,
      sleep: opts.sleep,
    });
    return { kind: 'sent', issue, run, totals: await store.deliveries.counts(issue.id) };
  } finally {
    await taken.lock.release();
  }
}
