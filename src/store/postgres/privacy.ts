// A person's data in PostgreSQL: what is kept about them, forgetting them, and the ledger's retention. Ledger
// rows that lose their person become tallies, so an issue's counts stay right. PostgreSQL has no secure_delete:
// forgetting deletes the rows and compact() vacuums the tables they were in (README, Privacy, says what remains).
import type { Clock } from '../../clock.ts';
import { toPersonalData, type PersonalDeliveryRow, type RequestRow } from '../rows.ts';
import type { PersonalData, PrivacyRepository } from '../store.ts';
import { LOCK, type PgDatabase } from './database.ts';
import type { PgSuppressions } from './suppressions.ts';

/** Only finished rows are pruned: a queued or deferred one is still work to do. */
const FINISHED = "('sent', 'failed', 'skipped')";

/** Deleted ledger rows (the CTE `gone`) added to their issues' tallies for `reason`, in the same statement. */
const tallyGone = (reason: 'forgotten' | 'pruned') =>
  `tallied AS (INSERT INTO delivery_tallies (issue_id, state, reason, n)
     SELECT issue_id, state, '${reason}', count(*) FROM gone GROUP BY issue_id, state
     ON CONFLICT (issue_id, state, reason) DO UPDATE SET n = delivery_tallies.n + excluded.n)
   SELECT count(*)::int AS n FROM gone`;

const SQL = {
  subscriber: 'SELECT email FROM subscribers WHERE id = $1',
  history: 'SELECT at, status FROM subscriber_history WHERE subscriber_id = $1 ORDER BY at, seq',
  requests: 'SELECT requested_at, fields FROM subscription_requests WHERE subscriber_id = $1 ORDER BY requested_at',
  deliveries: `SELECT i.list, i.window_start, i.subject, d.state, d.sent_at, d.updated_at, d.attempts, d.last_reply, d.message_id
               FROM deliveries d JOIN issues i ON i.id = d.issue_id WHERE d.subscriber_id = $1 ORDER BY i.window_start, i.list`,
  forgetDeliveries: `WITH gone AS (DELETE FROM deliveries WHERE subscriber_id = $1 RETURNING issue_id, state), ${tallyGone('forgotten')}`,
  deleteHistory: 'DELETE FROM subscriber_history WHERE subscriber_id = $1',
  deleteRequests: 'DELETE FROM subscription_requests WHERE subscriber_id = $1',
  deleteSubscriber: 'DELETE FROM subscribers WHERE id = $1',
  prune: `WITH gone AS (DELETE FROM deliveries WHERE state IN ${FINISHED} AND updated_at < $1 RETURNING issue_id, state), ${tallyGone('pruned')}`,
};

/** The tables a forget or a prune deletes from: compact() vacuums these. */
const TOUCHED = ['deliveries', 'subscriber_history', 'subscription_requests', 'subscribers'];

export class PgPrivacy implements PrivacyRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly clock: Clock,
    private readonly suppressions: PgSuppressions,
  ) {}

  async personalData(id: number): Promise<PersonalData> {
    const [history, requests, deliveries] = await Promise.all([
      this.db.rows<{ at: string; status: string }>(SQL.history, [id]),
      this.db.rows<RequestRow>(SQL.requests, [id]),
      this.db.rows<PersonalDeliveryRow>(SQL.deliveries, [id]),
    ]);
    return toPersonalData(history, requests, deliveries);
  }

  async isForgotten(email: string): Promise<boolean> {
    return this.suppressions.has(this.db, email);
  }

  /** Under the subscribers' lock, so no add or confirm of the same person runs between the read and the erasure. */
  async forget(id: number): Promise<boolean> {
    return this.db.transaction(async (sql) => {
      const row = await sql.row<{ email: string }>(SQL.subscriber, [id]);
      if (!row) return false;
      await sql.row(SQL.forgetDeliveries, [id]);
      await sql.run(SQL.deleteHistory, [id]);
      await sql.run(SQL.deleteRequests, [id]);
      await sql.run(SQL.deleteSubscriber, [id]);
      await this.suppressions.add(sql, row.email, this.clock.now().toISOString());
      return true;
    }, [LOCK.subscribers, 0]);
  }

  /**
   * VACUUM of the tables a forget or prune deleted from: the dead rows' space is freed for reuse and their index
   * entries removed. Unlike SQLite's VACUUM it does not overwrite that space, and the server's WAL (until recycled),
   * its archives and replicas keep what they kept: no secure_delete here (README, Privacy). Not VACUUM FULL: it
   * would lock the ledger against every sender for the rewrite.
   */
  async compact(): Promise<void> {
    // One table per statement: VACUUM cannot run inside a transaction, nor in a multi-statement query.
    for (const table of TOUCHED) await this.db.run(`VACUUM ${table}`);
  }

  async pruneLedger(cutoff: Date): Promise<number> {
    return (await this.db.row<{ n: number }>(SQL.prune, [cutoff.toISOString()]))!.n;
  }
}
