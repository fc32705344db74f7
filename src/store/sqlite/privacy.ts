// A person's data in SQLite: what is kept about them, forgetting them (leaving no copy in the file), and the
// ledger's retention. Ledger rows that lose their person become tallies, so an issue's counts stay right.
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import { toPersonalData, type PersonalDeliveryRow, type RequestRow } from '../rows.ts';
import type { PersonalData, PrivacyRepository } from '../store.ts';
import type { Suppressions } from './suppressions.ts';

/** Only finished rows are pruned: a queued or deferred one is still work to do. */
const FINISHED = "('sent', 'failed', 'skipped')";

export class SqlitePrivacy implements PrivacyRepository {
  private readonly q;
  private readonly forgetTx;
  private readonly pruneTx;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly suppressions: Suppressions,
  ) {
    this.q = {
      subscriber: db.prepare<[number], { email: string }>('SELECT email FROM subscribers WHERE id = ?'),
      history: db.prepare<[number], { at: string; status: string }>('SELECT at, status FROM subscriber_history WHERE subscriber_id = ? ORDER BY at, rowid'),
      requests: db.prepare<[number], RequestRow>('SELECT requested_at, fields FROM subscription_requests WHERE subscriber_id = ? ORDER BY requested_at'),
      deliveries: db.prepare<[number], PersonalDeliveryRow>(
        `SELECT i.list, i.window_start, i.subject, d.state, d.sent_at, d.updated_at, d.attempts, d.last_reply, d.message_id
         FROM deliveries d JOIN issues i ON i.id = d.issue_id WHERE d.subscriber_id = ? ORDER BY i.window_start, i.list`,
      ),
      tallyForgotten: db.prepare<[number]>(
        `INSERT INTO delivery_tallies (issue_id, state, reason, n)
         SELECT issue_id, state, 'forgotten', count(*) FROM deliveries WHERE subscriber_id = ? GROUP BY issue_id, state
         ON CONFLICT (issue_id, state, reason) DO UPDATE SET n = n + excluded.n`,
      ),
      deleteDeliveries: db.prepare<[number]>('DELETE FROM deliveries WHERE subscriber_id = ?'),
      deleteHistory: db.prepare<[number]>('DELETE FROM subscriber_history WHERE subscriber_id = ?'),
      deleteRequests: db.prepare<[number]>('DELETE FROM subscription_requests WHERE subscriber_id = ?'),
      deleteSubscriber: db.prepare<[number]>('DELETE FROM subscribers WHERE id = ?'),
      tallyPruned: db.prepare<[string]>(
        `INSERT INTO delivery_tallies (issue_id, state, reason, n)
         SELECT issue_id, state, 'pruned', count(*) FROM deliveries WHERE state IN ${FINISHED} AND updated_at < ? GROUP BY issue_id, state
         ON CONFLICT (issue_id, state, reason) DO UPDATE SET n = n + excluded.n`,
      ),
      deletePruned: db.prepare<[string]>(`DELETE FROM deliveries WHERE state IN ${FINISHED} AND updated_at < ?`),
    };
    this.forgetTx = db.transaction((id: number): boolean => {
      const row = this.q.subscriber.get(id);
      if (!row) return false;
      this.q.tallyForgotten.run(id);
      this.q.deleteDeliveries.run(id);
      this.q.deleteHistory.run(id);
      this.q.deleteRequests.run(id);
      this.q.deleteSubscriber.run(id);
      this.suppressions.add(row.email, this.clock.now().toISOString());
      return true;
    });
    this.pruneTx = db.transaction((cutoff: string): number => {
      this.q.tallyPruned.run(cutoff);
      return this.q.deletePruned.run(cutoff).changes;
    });
  }

  async personalData(id: number): Promise<PersonalData> {
    return toPersonalData(this.q.history.all(id), this.q.requests.all(id), this.q.deliveries.all(id));
  }

  async isForgotten(email: string): Promise<boolean> {
    return this.suppressions.has(email);
  }

  async forget(id: number): Promise<boolean> {
    return this.securely(() => this.forgetTx.immediate(id));
  }

  /** secure_delete zeroes what a DELETE frees (rows, their index entries) as it is written; off again for the sends. */
  private securely<T>(fn: () => T): T {
    this.db.pragma('secure_delete = ON');
    try {
      return fn();
    } finally {
      this.db.pragma('secure_delete = OFF');
    }
  }

  async compact(): Promise<void> {
    // VACUUM writes every page afresh (no free page keeps old bytes); TRUNCATE empties the WAL that held the old versions.
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async pruneLedger(cutoff: Date): Promise<number> {
    // A server's reply may quote the address: pruned rows leave no copy in free space.
    return this.securely(() => this.pruneTx.immediate(cutoff.toISOString()));
  }
}
