// The one data layer: the Store and its repositories. Every method is async (PostgreSQL's driver is), and
// whatever must be atomic is one method, so each dialect (sqlite/, postgres/) makes it atomic its own way.
import type { IssueSnapshot } from '../changes/model.ts';
import type { Clock } from '../clock.ts';
import type { CopyPlace, Counts, Delivery, DeliveryChange, Issue, IssueFields, Recipient, ReplyCount, UnfinishedDelivery } from '../mail/ledger.ts';
import type { LiveSender, SenderClaim } from '../mail/send-claim.ts';
import type { LockClaimant, LockHolder, LockResult } from '../mail/send-lock.ts';
import type { RunOutcome, RunRecord } from '../schedule/runs.ts';
import type { AddResult, BulkAddResult, RequestOutcome, Subscriber, SubscriberFields, SubscriberStatus } from '../subscribers/model.ts';

export interface StoreOptions {
  /** Config `db`: a SQLite file (relative to `cwd`; parent folders are created), `sqlite:PATH`, `:memory:`, or postgres://… */
  db: string;
  /** What a relative `db` is resolved against (default: the process's working directory). */
  cwd?: string;
  clock: Clock;
  /** The list's `timezone`: new subscribers who name no zone get it. */
  defaultTimezone: string;
  /** Config `secret`; when unset, a secret generated once and kept in the database. */
  secret?: string;
  /** Config `dbRetrySeconds` (PostgreSQL): how long a lost connection is tried again before a DATABASE error. */
  retrySeconds?: number;
}

export interface Store {
  readonly subscribers: SubscriberRepository;
  readonly issues: IssueRepository;
  /** What each issue listed as sent (src/changes/): written once, never changed. */
  readonly snapshots: IssueSnapshotRepository;
  /** The send ledger: one row per (issue, subscriber). */
  readonly deliveries: DeliveryRepository;
  readonly sendLocks: SendLockRepository;
  /**
   * Several senders on one issue, each claiming batches of its ledger under a lease: present only where the
   * dialect offers it (PostgreSQL). Without it, one sender holds the issue's send lock (SQLite).
   */
  readonly sendClaims?: SendClaimRepository;
  /** One leader among the processes sharing the database (PostgreSQL); without it each process acts alone. */
  readonly leadership?: LeadershipRepository;
  /** The scheduler's runs, the organizers' holds, the review mails. */
  readonly schedule: ScheduleRepository;
  /** The organizers' note for one issue (`event-digest note`). */
  readonly notes: IssueNoteRepository;
  readonly meta: MetaRepository;
  /** The organizers' login sessions (web admin). */
  readonly adminSessions: AdminSessionRepository;
  /** The web app's rate limits, so that several `serve` processes on one database count as one. */
  readonly rateLimits: RateLimitRepository;
  /** What is kept about a person, forgetting them, and the retention of the ledger. */
  readonly privacy: PrivacyRepository;
  /** The organizers' actions (test sends, holds, releases, forgets, corrections), with time and client. */
  readonly audit: AuditRepository;
  close(): Promise<void>;
}

export interface SubscriberRepository {
  get(id: number): Promise<Subscriber | undefined>;
  /** Case-insensitive, ignores surrounding spaces. */
  findByEmail(email: string): Promise<Subscriber | undefined>;
  /** Every subscriber (or those with one status), suppressions included, by address. */
  list(status?: SubscriberStatus): Promise<Subscriber[]>;
  /**
   * One page of the list for the organizer pages, by address: filtered by status and by text in the
   * address or name, from a cursor (a subscriber's id, so no address travels in a URL). Never the whole list.
   */
  search(query: SubscriberQuery): Promise<SubscriberPage>;
  /** Every subscriber with a status, by id, a page at a time: never the whole list in memory, no connection held between pages. */
  pages(status: SubscriberStatus, pageSize?: number): AsyncIterable<Subscriber[]>;
  /**
   * An organizer adds (or re-adds) an address: it becomes active; a known one gets the fields given. A
   * suppressed one is refused with DigestError('SUPPRESSED') unless `reactivate`.
   */
  add(fields: SubscriberFields, opts: { source: string; reactivate?: boolean }): Promise<AddResult>;
  /**
   * Every row added as add() would, all in one transaction (a CSV import): either all of them or, on an
   * error, none. A suppressed address is left alone and reported ('suppressed'). One result per row, in order.
   */
  addAll(rows: readonly SubscriberFields[], opts: { source: string }): Promise<BulkAddResult[]>;
  /**
   * The web form: a new address is stored as pending until confirm(). The request proves nothing about who
   * sent it, so no row changes: the choices are kept with the request (for a pending or unsubscribed
   * address), and confirm() with the link issued at `requestedAt` applies them. Active, bounced and
   * complained addresses are left alone.
   */
  requestSubscription(fields: SubscriberFields, source: string): Promise<{ subscriber: Subscriber; outcome: RequestOutcome; requestedAt: Date }>;
  /**
   * Confirm-if-pending: pending → active; an address unsubscribed before the link was issued becomes
   * active too; either way with the choices of the request that link was issued for (linkIssuedAt), if known.
   * Returns the subscriber after the change (unchanged if none applied), undefined for an unknown id.
   */
  confirm(id: number, linkIssuedAt?: Date): Promise<Subscriber | undefined>;
  /** Name, zone, kinds (undefined keeps a field); the status is not touched. */
  updatePreferences(id: number, fields: Omit<SubscriberFields, 'email'>): Promise<Subscriber | undefined>;
  /** Suppresses an address, keeping the row; a bounce or complaint replaces an unsubscribe, not the other way round. */
  suppress(id: number, status: 'unsubscribed' | 'bounced' | 'complained'): Promise<Subscriber | undefined>;
  unsubscribe(id: number): Promise<Subscriber | undefined>;
  /** Subscribers by status (every status present, zeros included). */
  countByStatus(): Promise<Record<SubscriberStatus, number>>;
  /** Active subscribers who get each kind (an empty choice means every kind). */
  activeCountByKind(kinds: readonly string[]): Promise<Record<string, number>>;
  /** Active subscribers per time zone. */
  activeCountByZone(): Promise<Map<string, number>>;
}

export interface SubscriberQuery {
  status?: SubscriberStatus;
  /** Matched case-insensitively anywhere in the address or the name; blank means every subscriber. */
  text?: string;
  /** The page after this subscriber (by address)… */
  after?: number;
  /** …or the page before this one. */
  before?: number;
  /** Rows per page. */
  limit: number;
}

export interface SubscriberPage {
  subscribers: Subscriber[];
  /** Every subscriber the filters match, on all pages. */
  total: number;
  /** Cursors for the neighbouring pages (the first and last subscriber shown), when there are any. */
  before?: number;
  after?: number;
}

export interface IssueRepository {
  /** The issue for (list, window start): created once; a second sender or daemon finds the same row. */
  issueFor(fields: IssueFields): Promise<Issue>;
  find(list: string, windowStart: string): Promise<Issue | undefined>;
  /** A list's issues (every list's without one), newest window first. */
  list(list?: string): Promise<Issue[]>;
}

export interface IssueSnapshotRepository {
  /** Writes the issue's snapshot unless it has one (a resumed send keeps the first); true when this call wrote it. */
  record(issueId: number, snapshot: IssueSnapshot): Promise<boolean>;
  get(issueId: number): Promise<IssueSnapshot | undefined>;
  /** The list's latest issue before `windowStart` that has a snapshot and reached at least one reader. */
  latestBefore(list: string, windowStart: string): Promise<{ issue: Issue; snapshot: IssueSnapshot } | undefined>;
}

/** A reader an issue reached, with the kinds their copy carried ([] = every kind). */
export interface IssueReader {
  subscriberId: number;
  kinds: string[];
  /** The place the copy was for; absent: none (it listed every event), or sent before places were recorded. */
  place?: CopyPlace;
}

export interface DeliveryRepository {
  /** Adds a queued row for every active subscriber not yet in the issue's ledger; returns how many. */
  enqueueActive(issueId: number, messageIdPrefix: string, messageIdSuffix: string): Promise<number>;
  /** Adds a queued row for each of these subscribers (if active) not yet in the issue's ledger; returns how many. */
  enqueue(issueId: number, subscriberIds: readonly number[], messageIdPrefix: string, messageIdSuffix: string): Promise<number>;
  /** The readers whose row is 'sent', by id, with their copy's kinds (rows from before 008: their kinds now). */
  readers(issueId: number): Promise<IssueReader[]>;
  /** The rows not finished (queued, sending, deferred), by subscriber id. */
  unfinished(issueId: number): Promise<UnfinishedDelivery[]>;
  /** The subscriber as they are now (status included), for the message about to be sent; undefined if gone. */
  recipient(subscriberId: number): Promise<Recipient | undefined>;
  /**
   * Several state changes in one transaction. A 'sending' is recorded only if the subscriber is still
   * active at that moment; if not, the row becomes 'skipped' with the status as the reason, and the
   * subscriber's id is among those returned: their message must not be handed over.
   */
  markAll(issueId: number, changes: readonly DeliveryChange[]): Promise<number[]>;
  get(issueId: number, subscriberId: number): Promise<Delivery | undefined>;
  counts(issueId: number): Promise<Counts>;
  /** The failed and deferred rows grouped by the server's reply, most common first: why mail did not go. */
  replies(issueId: number): Promise<ReplyCount[]>;
}

export interface SendLockRepository {
  /** Takes the issue's lock when it is free or its holder may be replaced (claimant.replaces), atomically. */
  acquire(issueId: number, claimant: LockClaimant): Promise<LockResult>;
  /** Every lock held now (`status`). */
  holders(): Promise<(LockHolder & { issueId: number })[]>;
}

export interface SendClaimRepository {
  /** This sender joins the issue's send; its claims last `leaseMs` unless renewed. */
  join(issueId: number, sender: { pid: number; host: string }, leaseMs: number): Promise<SenderClaim>;
  /** The senders working now, on every issue (`status`). */
  live(): Promise<LiveSender[]>;
}

export interface LeadershipRepository {
  /**
   * Takes the leadership called `name`, or confirms this process still holds it; false while another process does
   * (or the database cannot be reached). A leader that dies loses it at once; another takes it at its next call.
   */
  lead(name: string): Promise<boolean>;
}

export interface ScheduleRepository {
  run(list: string, scheduledFor: string): Promise<RunRecord | undefined>;
  /** The n most recent runs, newest first. */
  latestRuns(list: string, n: number): Promise<RunRecord[]>;
  /** Creates or updates the run: state and detail replaced, counts added, returns the run as stored. */
  recordRun(list: string, scheduledFor: string, windowStart: string, outcome: RunOutcome): Promise<RunRecord>;
  hold(list: string, windowStart: string): Promise<void>;
  /** False when the issue was not held. */
  release(list: string, windowStart: string): Promise<boolean>;
  isHeld(list: string, windowStart: string): Promise<boolean>;
  /** The window starts held now, in order. */
  held(list: string): Promise<string[]>;
  /** Claims the review mail for a scheduled time: true for exactly one caller, whatever the number of daemons. */
  claimReview(list: string, scheduledFor: string): Promise<boolean>;
  /** Gives the claim back (the mail could not be sent), so the next pass tries again. */
  unclaimReview(list: string, scheduledFor: string): Promise<void>;
  reviewSentAt(list: string, scheduledFor: string): Promise<string | undefined>;
}

export interface IssueNoteRepository {
  /** Sets (or replaces) the Markdown note of the issue for (list, window start). */
  set(list: string, windowStart: string, markdown: string): Promise<void>;
  /** The issue's note, or undefined when it has none. */
  get(list: string, windowStart: string): Promise<string | undefined>;
  /** Removes the note; false when there was none. */
  clear(list: string, windowStart: string): Promise<boolean>;
}

export interface MetaRepository {
  /** The key for signed links (tokens.ts): config `secret`, or one generated once and kept; stable across runs and processes. */
  linkSecret(): Promise<string>;
  /** When this database was created (ISO 8601, from the clock): the scheduler does not answer for slots before it. */
  createdAt(): Promise<string>;
}

/** An organizer's login: the hash of the cookie's random id, never the id itself. */
export interface AdminSession {
  idHash: string;
  /** Which admin token it was opened with (a keyed hash of it). */
  tokenHash: string;
  /** The peer address and User-Agent at login. */
  client: string;
  issuedAt: Date;
}

export interface AdminSessionRepository {
  create(session: AdminSession): Promise<void>;
  find(idHash: string): Promise<AdminSession | undefined>;
  delete(idHash: string): Promise<void>;
  /** Deletes the sessions issued before `cutoff` or opened with another token; returns how many. */
  prune(cutoff: Date, tokenHash: string): Promise<number>;
}

/** A fixed window per (bucket, key): counted in one statement, so two processes counting at once both count. */
export interface RateLimitRepository {
  /**
   * Counts one request for `keyHash` in `bucket` at `nowMs` (a window of `windowMs` opens at the first request
   * after the last one ended) and returns the requests counted in the current window, this one included.
   * Rows of the bucket whose window has ended are deleted on the way.
   */
  hit(bucket: string, keyHash: string, windowMs: number, nowMs: number): Promise<number>;
}

/** Everything stored about one subscriber beside their row (subscribers export). */
export interface PersonalData {
  /** Each status they had, oldest first. */
  history: { at: string; status: string }[];
  /** Web subscription requests not yet confirmed: their choices. */
  requests: { requestedAt: string; choices: unknown }[];
  /** The ledger's rows for them: which issues, and what became of each. */
  deliveries: { list: string; issue: string; subject: string; state: string; sentAt: string | null; updatedAt: string; attempts: number; lastReply: string | null; messageId: string }[];
}

export interface PrivacyRepository {
  personalData(subscriberId: number): Promise<PersonalData>;
  /** Whether this address was forgotten (its keyed hash is a suppression). */
  isForgotten(email: string): Promise<boolean>;
  /**
   * Erases a subscriber in one transaction: their row, status history and requests go; their ledger rows become
   * counts per issue and state (no person); a keyed hash of the address stays as a suppression. False for an unknown id.
   */
  forget(subscriberId: number): Promise<boolean>;
  /** Rewrites the file so what was deleted leaves no copy in free pages or the write-ahead log. */
  compact(): Promise<void>;
  /** Ledger rows finished before `cutoff` become counts per issue and state, without a person; returns how many rows. */
  pruneLedger(cutoff: Date): Promise<number>;
}

export interface AuditEntry {
  at: string;
  action: string;
  /** The issue date or a subscriber id: never an address. */
  detail: string;
  /** Who: `cli user@host`, or the peer address and User-Agent. */
  client: string;
}

export interface AuditRepository {
  record(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  /** The n most recent entries, newest first. */
  recent(n: number): Promise<AuditEntry[]>;
}
