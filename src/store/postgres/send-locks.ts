// The per-issue send lock in PostgreSQL: a row in send_locks, taken in a transaction that first takes the issue's
// advisory lock (the read and the write with no other claimant between), refreshed and freed by token.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { LockClaimant, LockHolder, LockResult, SendLock } from '../../mail/send-lock.ts';
import { toHolder, type LockRow } from '../rows.ts';
import type { SendLockRepository } from '../store.ts';
import { LOCK, type PgDatabase } from './database.ts';

const SQL = {
  get: 'SELECT * FROM send_locks WHERE issue_id = $1',
  all: 'SELECT * FROM send_locks ORDER BY issue_id',
  take: `INSERT INTO send_locks (issue_id, holder, pid, host, token, acquired_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (issue_id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host, token = excluded.token,
           acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
  refresh: 'UPDATE send_locks SET heartbeat_at = $1 WHERE issue_id = $2 AND token = $3',
  release: 'DELETE FROM send_locks WHERE issue_id = $1 AND token = $2',
};

export class PgSendLocks implements SendLockRepository {
  private closed = false;

  constructor(
    private readonly db: PgDatabase,
    private readonly clock: Clock,
  ) {}

  async acquire(issueId: number, claimant: LockClaimant): Promise<LockResult> {
    return this.db.transaction(async (sql): Promise<LockResult> => {
      const now = this.clock.now();
      const row = await sql.row<LockRow>(SQL.get, [issueId]);
      if (row && !claimant.replaces(toHolder(row), now)) {
        const { issueId: _, ...heldBy } = toHolder(row);
        return { ok: false, heldBy };
      }
      const token = randomBytes(12).toString('hex');
      await sql.run(SQL.take, [issueId, `pid ${claimant.pid} on ${claimant.host}`, claimant.pid, claimant.host, token, now.toISOString()]);
      return { ok: true, lock: this.handle(issueId, token) };
    }, [LOCK.sendLock, issueId]);
  }

  async holders(): Promise<(LockHolder & { issueId: number })[]> {
    return (await this.db.rows<LockRow>(SQL.all)).map(toHolder);
  }

  /** The store is closing: a lock freed after that has nothing to free it with. */
  markClosed(): void {
    this.closed = true;
  }

  /** Only the token's owner can refresh or free the lock: a sender that was taken over cannot free its successor's. */
  private handle(issueId: number, token: string): SendLock {
    return {
      issueId,
      refresh: async () => (await this.db.run(SQL.refresh, [this.clock.now().toISOString(), issueId, token])) === 1,
      release: async () => {
        if (!this.closed) await this.db.run(SQL.release, [issueId, token]);
      },
    };
  }
}
