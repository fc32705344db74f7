// The send ledger's rows in PostgreSQL: one per (issue, subscriber), and the group commit the sender relies
// on (several state changes, one transaction, applied in order).
import type { Clock } from '../../clock.ts';
import type { CopyPlace, Counts, Delivery, DeliveryChange, DeliveryState, Recipient, ReplyCount, UnfinishedDelivery } from '../../mail/ledger.ts';
import type { SubscriberStatus } from '../../subscribers/model.ts';
import type { DeliveryRepository, IssueReader } from '../store.ts';
import type { PgDatabase } from './database.ts';

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
  // A group commit's changes, a statement per kind rather than per row (the rows come as arrays).
  setStates: `UPDATE deliveries d SET state = c.state, last_reply = c.reply, updated_at = $1,
                sent_at = CASE WHEN c.state = 'sent' THEN $1 ELSE d.sent_at END
              FROM unnest($3::int[], $4::text[], $5::text[]) AS c (subscriber_id, state, reply)
              WHERE d.issue_id = $2 AND d.subscriber_id = c.subscriber_id`,
  // 'sending' only while the subscriber is active, checked in the same statement as it is recorded, and (with
  // several senders, $4 set) only while the row's claim is still this sender's.
  // The copy's kinds and place (JSON) are recorded with it: a correction later reaches only those whose copy listed an event.
  startSending: `UPDATE deliveries d SET state = 'sending', last_reply = NULL, updated_at = $1, attempts = d.attempts + 1,
                   reader_kinds = coalesce(c.kinds, d.reader_kinds), reader_place = c.place
                 FROM unnest($3::int[], $5::text[], $6::text[]) AS c (subscriber_id, kinds, place)
                 WHERE d.issue_id = $2 AND d.subscriber_id = c.subscriber_id AND ($4::text IS NULL OR d.claimed_by = $4)
                   AND EXISTS (SELECT 1 FROM subscribers WHERE subscribers.id = d.subscriber_id AND subscribers.status = 'active')
                 RETURNING d.subscriber_id`,
  // Only for a subscriber no longer active: a row refused because its claim was lost is left to its new sender.
  skipInactive: `UPDATE deliveries SET state = 'skipped', updated_at = $1,
                   last_reply = 'subscriber is ' || coalesce((SELECT status FROM subscribers WHERE subscribers.id = deliveries.subscriber_id), 'gone')
                 WHERE issue_id = $2 AND subscriber_id = ANY($3::int[])
                   AND NOT EXISTS (SELECT 1 FROM subscribers WHERE subscribers.id = deliveries.subscriber_id AND subscribers.status = 'active')`,
  recipient: 'SELECT id, email, name, first_name, timezone, kinds, status, place_name, place_lat, place_lon, radius FROM subscribers WHERE id = $1',
  // The rows, and the tallies of rows that lost their person (forgotten, or past the retention).
  counts: `SELECT state, sum(n)::int AS n FROM (SELECT state, count(*) AS n FROM deliveries WHERE issue_id = $1 GROUP BY state
             UNION ALL SELECT state, n FROM delivery_tallies WHERE issue_id = $1) AS t GROUP BY state`,
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
  place_name: string | null;
  place_lat: number | null;
  place_lon: number | null;
  radius: number | null;
}

export class PgDeliveries implements DeliveryRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly clock: Clock,
  ) {}

  async enqueueActive(issueId: number, messageIdPrefix: string, messageIdSuffix: string): Promise<number> {
    return this.db.run(SQL.enqueueActive, [issueId, messageIdPrefix, messageIdSuffix, this.now()]);
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
    if (!r) return undefined;
    const location = r.place_name === null || r.place_lat === null || r.place_lon === null ? null : { name: r.place_name, lat: r.place_lat, lon: r.place_lon };
    return { id: r.id, email: r.email, name: r.name, firstName: r.first_name, timezone: r.timezone, kinds: JSON.parse(r.kinds) as string[], status: r.status, location, radius: r.radius };
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
        const starts = part.filter((c) => c.state === 'sending');
        if (starts.length === 0) continue;
        const kinds = starts.map((c) => (c.kinds ? JSON.stringify(c.kinds) : null));
        const places = starts.map((c) => (c.place ? JSON.stringify(c.place) : null));
        const sending = starts.map((c) => c.subscriberId);
        const started = new Set((await sql.rows<{ subscriber_id: number }>(SQL.startSending, [now, issueId, sending, claimant, kinds, places])).map((r) => r.subscriber_id));
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
