// The send ledger: issues (unique per list and window) and one delivery row per (issue, subscriber).
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';

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
    setState: db.prepare(
      `UPDATE deliveries SET state = @state, last_reply = @reply, updated_at = @now,
         attempts = attempts + @attempt, sent_at = CASE WHEN @state = 'sent' THEN @now ELSE sent_at END
       WHERE issue_id = @issueId AND subscriber_id = @subscriberId`,
    ),
    counts: db.prepare<[number], { state: DeliveryState; n: number }>('SELECT state, count(*) AS n FROM deliveries WHERE issue_id = ? GROUP BY state'),
    delivery: db.prepare<[number, number], { state: DeliveryState; attempts: number; last_reply: string | null; message_id: string }>(
      'SELECT state, attempts, last_reply, message_id FROM deliveries WHERE issue_id = ? AND subscriber_id = ?',
    ),
  };
}

export interface UnfinishedDelivery {
  subscriberId: number;
  state: DeliveryState;
  messageId: string;
  attempts: number;
}

export class SendLedger {
  private readonly q: ReturnType<typeof queries>;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.q = queries(db);
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

  /** Adds a queued row for every active subscriber not yet in this issue's ledger; returns how many. */
  enqueueActive(issue: Issue, messageIdPrefix: string, messageIdSuffix: string): number {
    return this.q.enqueueActive.run({ issueId: issue.id, prefix: messageIdPrefix, suffix: messageIdSuffix, now: this.now() }).changes;
  }

  unfinished(issueId: number): UnfinishedDelivery[] {
    return this.q.unfinished.all(issueId).map((r) => ({ subscriberId: r.subscriber_id, state: r.state, messageId: r.message_id, attempts: r.attempts }));
  }

  mark(issueId: number, subscriberId: number, state: DeliveryState, reply: string | null = null): void {
    this.q.setState.run({ issueId, subscriberId, state, reply, now: this.now(), attempt: state === 'sending' ? 1 : 0 });
  }

  /** Several state changes in one transaction: one commit instead of several. */
  markAll(issueId: number, changes: readonly { subscriberId: number; state: DeliveryState; reply?: string | null }[]): void {
    if (changes.length === 0) return;
    this.db.transaction(() => {
      for (const c of changes) this.mark(issueId, c.subscriberId, c.state, c.reply ?? null);
    })();
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
