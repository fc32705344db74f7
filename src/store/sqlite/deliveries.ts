// The send ledger's rows in SQLite: one per (issue, subscriber), named statements, and the group
// commit the sender relies on (several state changes, one transaction).
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { CopyPlace, Counts, Delivery, DeliveryChange, DeliveryState, Recipient, ReplyCount, UnfinishedDelivery } from '../../mail/ledger.ts';
import type { SubscriberStatus } from '../../subscribers/model.ts';
import type { DeliveryRepository, IssueReader } from '../store.ts';

function queries(db: Database.Database) {
  return {
    // Every active subscriber not yet in the ledger: a rerun picks up people who joined since.
    enqueueActive: db.prepare<[{ issueId: number; prefix: string; suffix: string; now: string }], unknown>(
      `INSERT INTO deliveries (issue_id, subscriber_id, state, message_id, updated_at)
       SELECT @issueId, id, 'queued', @prefix || id || @suffix, @now FROM subscribers WHERE status = 'active'
         -- An issue whose rows were pruned is closed: who had it is no longer known, so nobody is queued again.
         AND NOT EXISTS (SELECT 1 FROM delivery_tallies WHERE issue_id = @issueId AND reason = 'pruned')
       ON CONFLICT (issue_id, subscriber_id) DO NOTHING`,
    ),
    enqueueOne: db.prepare<[number, string, string, number], unknown>(
      `INSERT INTO deliveries (issue_id, subscriber_id, state, message_id, updated_at)
       SELECT ?, id, 'queued', ?, ? FROM subscribers WHERE id = ? AND status = 'active'
       ON CONFLICT (issue_id, subscriber_id) DO NOTHING`,
    ),
    // Rows from before migration 008 have no kinds recorded: the reader's kinds now stand in.
    readers: db.prepare<[number], { subscriber_id: number; kinds: string; place: string | null }>(
      `SELECT d.subscriber_id, coalesce(d.reader_kinds, s.kinds) AS kinds, d.reader_place AS place FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.issue_id = ? AND d.state = 'sent' ORDER BY d.subscriber_id`,
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
    startSending: db.prepare<[string, string | null, string | null, number, number], unknown>(
      `UPDATE deliveries SET state = 'sending', last_reply = NULL, updated_at = ?, attempts = attempts + 1, reader_kinds = coalesce(?, reader_kinds), reader_place = ?
       WHERE issue_id = ? AND subscriber_id = ?
         AND EXISTS (SELECT 1 FROM subscribers WHERE subscribers.id = deliveries.subscriber_id AND subscribers.status = 'active')`,
    ),
    skipInactive: db.prepare<[string, number, number], unknown>(
      `UPDATE deliveries SET state = 'skipped', updated_at = ?,
         last_reply = 'subscriber is ' || coalesce((SELECT status FROM subscribers WHERE subscribers.id = deliveries.subscriber_id), 'gone')
       WHERE issue_id = ? AND subscriber_id = ?`,
    ),
    // What a message needs of its reader, and the status: re-read before each message, so only these columns.
    recipient: db.prepare<[number], [number, string, string | null, string, string, SubscriberStatus, string | null, string | null, number | null, number | null, number | null]>(
      'SELECT id, email, name, timezone, kinds, status, first_name, place_name, place_lat, place_lon, radius FROM subscribers WHERE id = ?',
    ).raw(),
    // The rows, and the tallies of rows that lost their person (forgotten, or past the retention).
    counts: db.prepare<[number, number], { state: DeliveryState; n: number }>(
      `SELECT state, sum(n) AS n FROM (SELECT state, count(*) AS n FROM deliveries WHERE issue_id = ? GROUP BY state
         UNION ALL SELECT state, n FROM delivery_tallies WHERE issue_id = ?) GROUP BY state`,
    ),
    replies: db.prepare<[number], { state: 'failed' | 'deferred'; reply: string; n: number }>(
      `SELECT state, coalesce(last_reply, 'no reply recorded') AS reply, count(*) AS n FROM deliveries
       WHERE issue_id = ? AND state IN ('failed', 'deferred') GROUP BY state, reply ORDER BY n DESC, state, reply`,
    ),
    delivery: db.prepare<[number, number], { state: DeliveryState; attempts: number; last_reply: string | null; message_id: string }>(
      'SELECT state, attempts, last_reply, message_id FROM deliveries WHERE issue_id = ? AND subscriber_id = ?',
    ),
  };
}

export class SqliteDeliveries implements DeliveryRepository {
  private readonly q: ReturnType<typeof queries>;
  /** Made once: better-sqlite3 builds a wrapper (and its begin/commit statements) per db.transaction() call. */
  private readonly markAllTx: (issueId: number, changes: readonly DeliveryChange[], now: string) => number[];
  /** Kinds as stored (JSON) to the parsed list: a list has a handful of distinct choices, parsed once each. */
  private readonly kindsCache = new Map<string, readonly string[]>();

  private readonly enqueueTx: (issueId: number, ids: readonly number[], prefix: string, suffix: string, now: string) => number;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.q = queries(db);
    this.enqueueTx = db.transaction((issueId: number, ids: readonly number[], prefix: string, suffix: string, now: string) =>
      ids.reduce((n, id) => n + this.q.enqueueOne.run(issueId, `${prefix}${id}${suffix}`, now, id).changes, 0),
    );
    this.markAllTx = db.transaction((issueId: number, changes: readonly DeliveryChange[], now: string) => {
      const refused: number[] = [];
      for (const c of changes) {
        if (c.state !== 'sending') this.q.setState.run(c.state, c.reply ?? null, now, 0, c.state, now, issueId, c.subscriberId);
        else if (this.q.startSending.run(now, c.kinds ? JSON.stringify(c.kinds) : null, c.place ? JSON.stringify(c.place) : null, issueId, c.subscriberId).changes === 0) {
          this.q.skipInactive.run(now, issueId, c.subscriberId);
          refused.push(c.subscriberId);
        }
      }
      return refused;
    });
  }

  async enqueueActive(issueId: number, messageIdPrefix: string, messageIdSuffix: string): Promise<number> {
    return this.q.enqueueActive.run({ issueId, prefix: messageIdPrefix, suffix: messageIdSuffix, now: this.clock.now().toISOString() }).changes;
  }

  async enqueue(issueId: number, subscriberIds: readonly number[], messageIdPrefix: string, messageIdSuffix: string): Promise<number> {
    const now = this.clock.now().toISOString();
    return this.enqueueTx(issueId, subscriberIds, messageIdPrefix, messageIdSuffix, now);
  }

  async readers(issueId: number): Promise<IssueReader[]> {
    return this.q.readers.all(issueId).map((r) => ({
      subscriberId: r.subscriber_id,
      kinds: JSON.parse(r.kinds) as string[],
      ...(r.place === null ? {} : { place: JSON.parse(r.place) as CopyPlace }),
    }));
  }

  async unfinished(issueId: number): Promise<UnfinishedDelivery[]> {
    return this.q.unfinished.all(issueId).map((r) => ({ subscriberId: r.subscriber_id, state: r.state, messageId: r.message_id, attempts: r.attempts }));
  }

  // The two methods below run once per message: plain async methods over synchronous statements, no more.

  async recipient(subscriberId: number): Promise<Recipient | undefined> {
    const r = this.q.recipient.get(subscriberId);
    if (!r) return undefined;
    let kinds = this.kindsCache.get(r[4]);
    if (!kinds) {
      if (this.kindsCache.size >= 1024) this.kindsCache.clear();
      this.kindsCache.set(r[4], (kinds = Object.freeze(JSON.parse(r[4]) as string[])));
    }
    // A copy: the cached list stays the cache's, whatever a caller does with this one.
    const location = r[7] === null || r[8] === null || r[9] === null ? null : { name: r[7], lat: r[8], lon: r[9] };
    return { id: r[0], email: r[1], name: r[2], firstName: r[6], timezone: r[3], kinds: kinds.slice(), status: r[5], location, radius: r[10] };
  }

  async markAll(issueId: number, changes: readonly DeliveryChange[]): Promise<number[]> {
    if (changes.length === 0) return [];
    return this.markAllTx(issueId, changes, this.clock.now().toISOString());
  }

  async get(issueId: number, subscriberId: number): Promise<Delivery | undefined> {
    const r = this.q.delivery.get(issueId, subscriberId);
    return r && { state: r.state, attempts: r.attempts, lastReply: r.last_reply, messageId: r.message_id };
  }

  async counts(issueId: number): Promise<Counts> {
    const c: Counts = { queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0, deferred: 0 };
    for (const r of this.q.counts.all(issueId, issueId)) c[r.state] = r.n;
    return c;
  }

  async replies(issueId: number): Promise<ReplyCount[]> {
    return this.q.replies.all(issueId).map((r) => ({ state: r.state, reply: r.reply, count: r.n }));
  }
}
