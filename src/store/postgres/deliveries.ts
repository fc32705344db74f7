// The send ledger's rows in PostgreSQL: one per (issue, subscriber), and the group commit the sender relies
// on (several state changes, one transaction, applied in order).
import type { Clock } from '../../clock.ts';
import type { CopyPlace, Counts, Delivery, DeliveryChange, DeliveryState, Recipient, ReplyCount, UnfinishedDelivery } from '../../mail/ledger.ts';
import type { SubscriberStatus } from '../../subscribers/model.ts';
import type { DeliveryRepository, IssueReader } from '../store.ts';
import type { PgDatabase, Sql } from './database.ts';

/** What a message needs of its reader. */
const RECIPIENT = 'SELECT id, email, name, first_name, timezone, kinds, status, place_name, place_lat, place_lon, radius FROM subscribers';

const SQL = {
  // Every active subscriber not yet in the ledger: a rerun picks up people who joined since.
  enqueueActive: `INSERT INTO deliveries (issue_id, subscriber_id, state, message_id, updated_at)
                  SELECT $1, id, 'queued', $2 || id || $3, $4 FROM subscribers WHERE status = 'active'
                    -- An issue whose rows were pruned is closed: who had it is no longer known, so nobody is queued again.
                    AND NOT EXISTS (SELECT 1 FROM delivery_tallies WHERE issue_id = $1 AND reason = 'pruned')
                  ON CONFLICT (issue_id, subscriber_id) DO NOTHING`,
  // These subscribers (if active), in one statement.
  enqueue: `INSERT INTO deliveries (issue_id, subscriber_id, state, message_id, updated_at)
            SELECT $1, id, 'queued', $2 || id || $3, $4 FROM subscribers WHERE id = ANY($5::int[]) AND status = 'active'
            ON CONFLICT (issue_id, subscriber_id) DO NOTHING`,
  // Rows from before migration 008 have no kinds recorded: the reader's kinds now stand in.
  readers: `SELECT d.subscriber_id, coalesce(d.reader_kinds, s.kinds) AS kinds, d.reader_place AS place FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
            WHERE d.issue_id = $1 AND d.state = 'sent' ORDER BY d.subscriber_id`,
  unfinished: `SELECT subscriber_id, state, message_id, attempts FROM deliveries
               WHERE issue_id = $1 AND state IN ('queued', 'sending', 'deferred') ORDER BY subscriber_id`,
  /**
   * A group commit's changes as one statement (one round trip, atomic without BEGIN/COMMIT), the rows as arrays.
   * Finished rows take their state; a 'sending' is recorded only while the subscriber is active, checked in the
   * same statement, and (with several senders, $8 set) only while the row's claim is still this sender's; one for
   * a subscriber no longer active becomes 'skipped' with the status, while a row refused because its claim was
   * lost is left to its new sender. `= ANY($3)` keeps each part on the primary key whatever the statistics say
   * (a generic plan once hashed the whole issue's rows per commit: 20 ms, not 0.1). Each subscriber comes once
   * (distinctRuns), so the three parts touch distinct rows and see one snapshot. The copy's kinds and place (JSON) are recorded with its 'sending': a correction
   * later reaches only those whose copy listed an event. Returns the 'sending's recorded.
   */
  mark: `WITH c AS (SELECT * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) AS c (subscriber_id, state, reply, kinds, place)),
         done AS (
           UPDATE deliveries d SET state = c.state, last_reply = c.reply, updated_at = $1,
             sent_at = CASE WHEN c.state = 'sent' THEN $1 ELSE d.sent_at END
           FROM c WHERE c.state <> 'sending' AND d.issue_id = $2 AND d.subscriber_id = ANY($3) AND d.subscriber_id = c.subscriber_id),
         inactive AS (
           UPDATE deliveries d SET state = 'skipped', updated_at = $1,
             last_reply = 'subscriber is ' || coalesce((SELECT status FROM subscribers WHERE subscribers.id = d.subscriber_id), 'gone')
           FROM c WHERE c.state = 'sending' AND d.issue_id = $2 AND d.subscriber_id = ANY($3) AND d.subscriber_id = c.subscriber_id
             AND NOT EXISTS (SELECT 1 FROM subscribers WHERE subscribers.id = d.subscriber_id AND subscribers.status = 'active'))
         UPDATE deliveries d SET state = 'sending', last_reply = NULL, updated_at = $1, attempts = d.attempts + 1,
           reader_kinds = coalesce(c.kinds, d.reader_kinds), reader_place = c.place
         FROM c WHERE c.state = 'sending' AND d.issue_id = $2 AND d.subscriber_id = ANY($3) AND d.subscriber_id = c.subscriber_id AND ($8::text IS NULL OR d.claimed_by = $8)
           AND EXISTS (SELECT 1 FROM subscribers WHERE subscribers.id = d.subscriber_id AND subscribers.status = 'active')
         RETURNING d.subscriber_id`,
  recipient: `${RECIPIENT} WHERE id = $1`,
  recipients: `${RECIPIENT} WHERE id = ANY($1::int[])`,
  // The rows, and the tallies of rows that lost their person (forgotten, or past the retention).
  counts: `SELECT state, sum(n)::int AS n FROM (SELECT state, count(*) AS n FROM deliveries WHERE issue_id = $1 GROUP BY state
             UNION ALL SELECT state, n FROM delivery_tallies WHERE issue_id = $1) AS t GROUP BY state`,
  replies: `SELECT state, coalesce(last_reply, 'no reply recorded') AS reply, count(*)::int AS n FROM deliveries
            WHERE issue_id = $1 AND state IN ('failed', 'deferred') GROUP BY state, reply ORDER BY n DESC, state, reply`,
  delivery: 'SELECT state, attempts, last_reply, message_id FROM deliveries WHERE issue_id = $1 AND subscriber_id = $2',
};

/** Rows queued at once past which the table's statistics are refreshed before the send. */
const ANALYZE_AFTER = 1000;

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
  place_name: string | null;
  place_lat: number | null;
  place_lon: number | null;
  radius: number | null;
}

function recipientOf(r: RecipientRow): Recipient {
  const location = r.place_name === null || r.place_lat === null || r.place_lon === null ? null : { name: r.place_name, lat: r.place_lat, lon: r.place_lon };
  return { id: r.id, email: r.email, name: r.name, firstName: r.first_name, timezone: r.timezone, kinds: JSON.parse(r.kinds) as string[], status: r.status, location, radius: r.radius };
}

export class PgDeliveries implements DeliveryRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly clock: Clock,
  ) {}

  async enqueueActive(issueId: number, messageIdPrefix: string, messageIdSuffix: string): Promise<number> {
    const added = await this.db.run(SQL.enqueueActive, [issueId, messageIdPrefix, messageIdSuffix, this.now()]);
    // The send's statements are planned next: on statistics from before this issue's rows, the planner takes the
    // issue for a handful of rows and may walk all of them per statement (autovacuum would analyze only a minute
    // later). Refreshed now when a list's worth came in; a role that does not own the table gets a warning, no error.
    if (added >= ANALYZE_AFTER) await this.db.run('ANALYZE deliveries');
    return added;
  }

  async enqueue(issueId: number, subscriberIds: readonly number[], messageIdPrefix: string, messageIdSuffix: string): Promise<number> {
    return this.db.run(SQL.enqueue, [issueId, messageIdPrefix, messageIdSuffix, this.now(), subscriberIds]);
  }

  async readers(issueId: number): Promise<IssueReader[]> {
    const rows = await this.db.rows<{ subscriber_id: number; kinds: string; place: string | null }>(SQL.readers, [issueId]);
    return rows.map((r) => ({
      subscriberId: r.subscriber_id,
      kinds: JSON.parse(r.kinds) as string[],
      ...(r.place === null ? {} : { place: JSON.parse(r.place) as CopyPlace }),
    }));
  }

  async unfinished(issueId: number): Promise<UnfinishedDelivery[]> {
    const rows = await this.db.rows<{ subscriber_id: number; state: DeliveryState; message_id: string; attempts: number }>(SQL.unfinished, [issueId]);
    return rows.map((r) => ({ subscriberId: r.subscriber_id, state: r.state, messageId: r.message_id, attempts: r.attempts }));
  }

  async recipient(subscriberId: number): Promise<Recipient | undefined> {
    const r = await this.db.row<RecipientRow>(SQL.recipient, [subscriberId]);
    return r && recipientOf(r);
  }

  /** Several recipients in one statement (a claimed batch's), by id; the ids not found are missing. */
  async recipients(subscriberIds: readonly number[]): Promise<Map<number, Recipient>> {
    const rows = await this.db.rows<RecipientRow>(SQL.recipients, [subscriberIds]);
    return new Map(rows.map((r) => [r.id, recipientOf(r)]));
  }

  async markAll(issueId: number, changes: readonly DeliveryChange[]): Promise<number[]> {
    return this.markAllAs(issueId, changes, null);
  }

  /** markAll for one of several senders (`claimant`: its token), or for the only one (null). */
  async markAllAs(issueId: number, changes: readonly DeliveryChange[], claimant: string | null): Promise<number[]> {
    if (changes.length === 0) return [];
    const now = this.now();
    const mark = async (sql: Sql, part: readonly DeliveryChange[]) => {
      const params = [now, issueId, part.map((c) => c.subscriberId), part.map((c) => c.state), part.map((c) => c.reply ?? null)];
      const json = (x: unknown) => (x ? JSON.stringify(x) : null);
      const started = new Set((await sql.rows<{ subscriber_id: number }>(SQL.mark, [...params, part.map((c) => json(c.kinds)), part.map((c) => json(c.place)), claimant])).map((r) => r.subscriber_id));
      return part.filter((c) => c.state === 'sending' && !started.has(c.subscriberId)).map((c) => c.subscriberId);
    };
    const parts = distinctRuns(changes);
    // Almost always one part: a statement on its own is its own transaction.
    if (parts.length === 1) return mark(this.db, parts[0]);
    return this.db.transaction(async (sql) => {
      const refused: number[] = [];
      for (const part of parts) refused.push(...(await mark(sql, part)));
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
