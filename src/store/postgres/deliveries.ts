// The send ledger's rows in PostgreSQL: one per (issue, subscriber), and the group commit the sender relies
// on (several state changes, one transaction, applied in order).
import type { Clock } from '../../clock.ts';
import type { Counts, Delivery, DeliveryChange, DeliveryState, Recipient, ReplyCount, UnfinishedDelivery } from '../../mail/ledger.ts';
import type { SubscriberStatus } from '../../subscribers/model.ts';
import type { DeliveryRepository } from '../store.ts';
import type { PgDatabase } from './database.ts';

const SQL = {
  // Every active subscriber not yet in the ledger: a rerun picks up people who joined since.
  enqueueActive: `INSERT INTO deliveries (issue_id, subscriber_id, state, message_id, updated_at)
                  SELECT $1, id, 'queued', $2 || id || $3, $4 FROM subscribers WHERE status = 'active'
                  ON CONFLICT (issue_id, subscriber_id) DO NOTHING`,
  unfinished: `SELECT subscriber_id, state, message_id, attempts FROM deliveries
               WHERE issue_id = $1 AND state IN ('queued', 'sending', 'deferred') ORDER BY subscriber_id`,
  // A group commit's changes, a statement per kind rather than per row (the rows come as arrays).
  setStates: `UPDATE deliveries d SET state = c.state, last_reply = c.reply, updated_at = $1,
                sent_at = CASE WHEN c.state = 'sent' THEN $1 ELSE d.sent_at END
              FROM unnest($3::int[], $4::text[], $5::text[]) AS c (subscriber_id, state, reply)
              WHERE d.issue_id = $2 AND d.subscriber_id = c.subscriber_id`,
  // 'sending' only while the subscriber is active, checked in the same statement as it is recorded, and (with
  // several senders, $4 set) only while the row's claim is still this sender's.
  startSending: `UPDATE deliveries SET state = 'sending', last_reply = NULL, updated_at = $1, attempts = attempts + 1
                 WHERE issue_id = $2 AND subscriber_id = ANY($3::int[]) AND ($4::text IS NULL OR claimed_by = $4)
                   AND EXISTS (SELECT 1 FROM subscribers WHERE subscribers.id = deliveries.subscriber_id AND subscribers.status = 'active')
                 RETURNING subscriber_id`,
  // Only for a subscriber no longer active: a row refused because its claim was lost is left to its new sender.
  skipInactive: `UPDATE deliveries SET state = 'skipped', updated_at = $1,
                   last_reply = 'subscriber is ' || coalesce((SELECT status FROM subscribers WHERE subscribers.id = deliveries.subscriber_id), 'gone')
                 WHERE issue_id = $2 AND subscriber_id = ANY($3::int[])
                   AND NOT EXISTS (SELECT 1 FROM subscribers WHERE subscribers.id = deliveries.subscriber_id AND subscribers.status = 'active')`,
  recipient: 'SELECT id, email, name, first_name, timezone, kinds, status FROM subscribers WHERE id = $1',
  counts: 'SELECT state, count(*)::int AS n FROM deliveries WHERE issue_id = $1 GROUP BY state',
  replies: `SELECT state, coalesce(last_reply, 'no reply recorded') AS reply, count(*)::int AS n FROM deliveries
            WHERE issue_id = $1 AND state IN ('failed', 'deferred') GROUP BY state, reply ORDER BY n DESC, state, reply`,
  delivery: 'SELECT state, attempts, last_reply, message_id FROM deliveries WHERE issue_id = $1 AND subscriber_id = $2',
};

/** The changes cut where a subscriber comes again, so each part touches a row once and the parts apply in order. */
function distinctRuns(changes: readonly DeliveryChange[]): DeliveryChange[][] {
  const parts: DeliveryChange[][] = [[]];
  let seen = new Set<number>();
  for (const c of changes) {
    if (seen.has(c.subscriberId)) {
      parts.push([]);
      seen = new Set();
    }
    seen.add(c.subscriberId);
    parts.at(-1)!.push(c);
  }
  return parts;
}

interface RecipientRow {
  id: number;
  email: string;
  name: string | null;
  first_name: string | null;
  timezone: string;
  kinds: string;
  status: SubscriberStatus;
}

export class PgDeliveries implements DeliveryRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly clock: Clock,
  ) {}

  async enqueueActive(issueId: number, messageIdPrefix: string, messageIdSuffix: string): Promise<number> {
    return this.db.run(SQL.enqueueActive, [issueId, messageIdPrefix, messageIdSuffix, this.now()]);
  }

  async unfinished(issueId: number): Promise<UnfinishedDelivery[]> {
    const rows = await this.db.rows<{ subscriber_id: number; state: DeliveryState; message_id: string; attempts: number }>(SQL.unfinished, [issueId]);
    return rows.map((r) => ({ subscriberId: r.subscriber_id, state: r.state, messageId: r.message_id, attempts: r.attempts }));
  }

  async recipient(subscriberId: number): Promise<Recipient | undefined> {
    const r = await this.db.row<RecipientRow>(SQL.recipient, [subscriberId]);
    return r && { id: r.id, email: r.email, name: r.name, firstName: r.first_name, timezone: r.timezone, kinds: JSON.parse(r.kinds) as string[], status: r.status };
  }

  async markAll(issueId: number, changes: readonly DeliveryChange[]): Promise<number[]> {
    return this.markAllAs(issueId, changes, null);
  }

  /** markAll for one of several senders (`claimant`: its token), or for the only one (null). */
  async markAllAs(issueId: number, changes: readonly DeliveryChange[], claimant: string | null): Promise<number[]> {
    if (changes.length === 0) return [];
    const now = this.now();
    return this.db.transaction(async (sql) => {
      const refused: number[] = [];
      for (const part of distinctRuns(changes)) {
        const done = part.filter((c) => c.state !== 'sending');
        if (done.length > 0) await sql.run(SQL.setStates, [now, issueId, done.map((c) => c.subscriberId), done.map((c) => c.state), done.map((c) => c.reply ?? null)]);
        const sending = part.filter((c) => c.state === 'sending').map((c) => c.subscriberId);
        if (sending.length === 0) continue;
        const started = new Set((await sql.rows<{ subscriber_id: number }>(SQL.startSending, [now, issueId, sending, claimant])).map((r) => r.subscriber_id));
        const notStarted = sending.filter((id) => !started.has(id));
        if (notStarted.length > 0) await sql.run(SQL.skipInactive, [now, issueId, notStarted]);
        refused.push(...notStarted);
      }
      return refused;
    });
  }

  async get(issueId: number, subscriberId: number): Promise<Delivery | undefined> {
    const r = await this.db.row<{ state: DeliveryState; attempts: number; last_reply: string | null; message_id: string }>(SQL.delivery, [issueId, subscriberId]);
    return r && { state: r.state, attempts: r.attempts, lastReply: r.last_reply, messageId: r.message_id };
  }

  async counts(issueId: number): Promise<Counts> {
    const c: Counts = { queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0, deferred: 0 };
    for (const r of await this.db.rows<{ state: DeliveryState; n: number }>(SQL.counts, [issueId])) c[r.state] = r.n;
    return c;
  }

  async replies(issueId: number): Promise<ReplyCount[]> {
    const rows = await this.db.rows<{ state: 'failed' | 'deferred'; reply: string; n: number }>(SQL.replies, [issueId]);
    return rows.map((r) => ({ state: r.state, reply: r.reply, count: r.n }));
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
