// The send ledger: issues (unique per list and window) and one delivery row per (issue, subscriber).
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import type { Subscriber, SubscriberStatus } from '../subscribers/model.ts';

export type DeliveryState = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped' | 'deferred';

export interface Issue {
  id: number;
  list: string;
  windowStart: string;
  windowEnd: string;
  timezone: string;
  subject: string;
  createdAt: string;
}

export interface Counts {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  deferred: number;
}

interface IssueRow {
  id: number;
  list: string;
  window_start: string;
  window_end: string;
  timezone: string;
  subject: string;
  created_at: string;
}

const toIssue = (r: IssueRow): Issue => ({
  id: r.id,
  list: r.list,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  timezone: r.timezone,
  subject: r.subject,
  createdAt: r.created_at,
});

function queries(db: Database.Database) {
  return {
    insertIssue: db.prepare(
      `INSERT INTO issues (list, window_start, window_end, timezone, subject, created_at)
       VALUES (@list, @windowStart, @windowEnd, @timezone, @subject, @now)
       ON CONFLICT (list, window_start) DO NOTHING`,
    ),
    issueByKey: db.prepare<[string, string], IssueRow>('SELECT * FROM issues WHERE list = ? AND window_start = ?'),
    issues: db.prepare<[], IssueRow>('SELECT * FROM issues ORDER BY window_start DESC'),
    // Every active subscriber not yet in the ledger: a rerun picks up people who joined since.
    enqueueActive: db.prepare<[{ issueId: number; prefix: string; suffix: string; now: string }], unknown>(
      `INSERT INTO deliveries (issue_id, subscriber_id, state, message_id, updated_at)
       SELECT @issueId, id, 'queued', @prefix || id || @suffix, @now FROM subscribers WHERE status = 'active'
       ON CONFLICT (issue_id, subscriber_id) DO NOTHING`,
    ),
    unfinished: db.prepare<[number], { subscriber_id: number; state: DeliveryState; message_id: string; attempts: number }>(
      `SELECT subscriber_id, state, message_id, attempts FROM deliveries
       WHERE issue_id = ? AND state IN ('queued', 'sending', 'deferred') ORDER BY subscriber_id`,
    ),
    // Positional, with the state and time bound twice: named parameters cost an object per row and per message.
    setState: db.prepare<[DeliveryState, string | null, string, number, DeliveryState, string, number, number], unknown>(
      `UPDATE deliveries SET state = ?, last_reply = ?, updated_at = ?,
         attempts = attempts + ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
       WHERE issue_id = ? AND subscriber_id = ?`,
    ),
    // 'sending' only while the subscriber is active, checked in the same statement as it is recorded, so the
    // check is the last thing before the hand-over; otherwise the row is skipped, with the status as the reason.
    startSending: db.prepare<[string, number, number], unknown>(
      `UPDATE deliveries SET state = 'sending', last_reply = NULL, updated_at = ?, attempts = attempts + 1
       WHERE issue_id = ? AND subscriber_id = ?
         AND EXISTS (SELECT 1 FROM subscribers WHERE subscribers.id = deliveries.subscriber_id AND subscribers.status = 'active')`,
    ),
    skipInactive: db.prepare<[string, number, number], unknown>(
      `UPDATE deliveries SET state = 'skipped', updated_at = ?,
         last_reply = 'subscriber is ' || coalesce((SELECT status FROM subscribers WHERE subscribers.id = deliveries.subscriber_id), 'gone')
       WHERE issue_id = ? AND subscriber_id = ?`,
    ),
    // What a message needs of its reader, and the status: re-read before each message, so only these columns.
    recipient: db.prepare<[number], [number, string, string | null, string, string, SubscriberStatus]>(
      'SELECT id, email, name, timezone, kinds, status FROM subscribers WHERE id = ?',
    ).raw(),
    counts: db.prepare<[number], { state: DeliveryState; n: number }>('SELECT state, count(*) AS n FROM deliveries WHERE issue_id = ? GROUP BY state'),
    delivery: db.prepare<[number, number], { state: DeliveryState; attempts: number; last_reply: string | null; message_id: string }>(
      'SELECT state, attempts, last_reply, message_id FROM deliveries WHERE issue_id = ? AND subscriber_id = ?',
    ),
  };
}

/** A subscriber as the sender reads them before each message. */
export type Recipient = Pick<Subscriber, 'id' | 'email' | 'name' | 'timezone' | 'kinds' | 'status'>;

export interface UnfinishedDelivery {
  subscriberId: number;
  state: DeliveryState;
  messageId: string;
  attempts: number;
}

type Change = { subscriberId: number; state: DeliveryState; reply?: string | null };

export class SendLedger {
  private readonly q: ReturnType<typeof queries>;
  /** Made once: better-sqlite3 builds a wrapper (and its begin/commit statements) per db.transaction() call. */
  private readonly markAllTx: (issueId: number, changes: readonly Change[], now: string) => number[];

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.q = queries(db);
    this.markAllTx = db.transaction((issueId: number, changes: readonly Change[], now: string) => {
      const refused: number[] = [];
      for (const c of changes) {
        if (c.state !== 'sending') this.setState(issueId, c.subscriberId, c.state, c.reply ?? null, now);
        else if (this.q.startSending.run(now, issueId, c.subscriberId).changes === 0) {
          this.q.skipInactive.run(now, issueId, c.subscriberId);
          refused.push(c.subscriberId);
        }
      }
      return refused;
    });
  }

  private setState(issueId: number, subscriberId: number, state: DeliveryState, reply: string | null, now: string): void {
    this.q.setState.run(state, reply, now, state === 'sending' ? 1 : 0, state, now, issueId, subscriberId);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** The issue for (list, window start): created once; a second sender or daemon finds the same row. */
  issueFor(fields: Omit<Issue, 'id' | 'createdAt'>): Issue {
    this.q.insertIssue.run({ ...fields, now: this.now() });
    return toIssue(this.q.issueByKey.get(fields.list, fields.windowStart) as IssueRow);
  }

  findIssue(list: string, windowStart: string): Issue | undefined {
    const r = this.q.issueByKey.get(list, windowStart);
    return r ? toIssue(r) : undefined;
  }

  issues(): Issue[] {
    return this.q.issues.all().map(toIssue);
  }

  /** Kinds as stored (JSON) to the parsed list: a list has a handful of distinct choices, parsed once each. */
  private readonly kindsCache = new Map<string, readonly string[]>();

  /** The subscriber as they are now (status included), for the message about to be sent; undefined if gone. */
  recipient(subscriberId: number): Recipient | undefined {
    const r = this.q.recipient.get(subscriberId);
    if (!r) return undefined;
    let kinds = this.kindsCache.get(r[4]);
    if (!kinds) {
      if (this.kindsCache.size >= 1024) this.kindsCache.clear();
      this.kindsCache.set(r[4], (kinds = Object.freeze(JSON.parse(r[4]) as string[])));
    }
    // A copy: the cached list stays the cache's, whatever a caller does with this one.
    return { id: r[0], email: r[1], name: r[2], timezone: r[3], kinds: kinds.slice(), status: r[5] };
  }

  /** Adds a queued row for every active subscriber not yet in this issue's ledger; returns how many. */
  enqueueActive(issue: Issue, messageIdPrefix: string, messageIdSuffix: string): number {
    return this.q.enqueueActive.run({ issueId: issue.id, prefix: messageIdPrefix, suffix: messageIdSuffix, now: this.now() }).changes;
  }

  unfinished(issueId: number): UnfinishedDelivery[] {
    return this.q.unfinished.all(issueId).map((r) => ({ subscriberId: r.subscriber_id, state: r.state, messageId: r.message_id, attempts: r.attempts }));
  }

  mark(issueId: number, subscriberId: number, state: DeliveryState, reply: string | null = null): void {
    this.setState(issueId, subscriberId, state, reply, this.now());
  }

  /**
   * Several state changes in one transaction: one commit instead of several. A 'sending' is recorded only
   * if the subscriber is still active at that moment; if not, the row becomes 'skipped' instead, and the
   * subscriber's id is among those returned: their message must not be handed over.
   */
  markAll(issueId: number, changes: readonly Change[]): number[] {
    if (changes.length === 0) return [];
    return this.markAllTx(issueId, changes, this.now());
  }

  delivery(issueId: number, subscriberId: number) {
    return this.q.delivery.get(issueId, subscriberId);
  }

  counts(issueId: number): Counts {
    const c: Counts = { queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0, deferred: 0 };
    for (const r of this.q.counts.all(issueId)) c[r.state] = r.n;
    return c;
  }
}
