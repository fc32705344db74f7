// The per-issue send lock in SQLite: a row in send_locks, taken in an IMMEDIATE transaction (the
// read and the write under one write lock, so two senders cannot both win), refreshed and freed by token.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { LockClaimant, LockHolder, LockResult, SendLock } from '../../mail/send-lock.ts';
import { toHolder, type LockRow } from '../rows.ts';
import type { SendLockRepository } from '../store.ts';

type Row = LockRow;
type TakeRow = Omit<Row, 'acquired_at' | 'heartbeat_at'> & { now: string };

export class SqliteSendLocks implements SendLockRepository {
  private readonly q;
  private readonly takeTx;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.q = {
      get: db.prepare<[number], Row>('SELECT * FROM send_locks WHERE issue_id = ?'),
      all: db.prepare<[], Row>('SELECT * FROM send_locks ORDER BY issue_id'),
      take: db.prepare<[TakeRow]>(
        `INSERT INTO send_locks (issue_id, holder, pid, host, token, acquired_at, heartbeat_at)
         VALUES (@issue_id, @holder, @pid, @host, @token, @now, @now)
         ON CONFLICT (issue_id) DO UPDATE SET holder = @holder, pid = @pid, host = @host, token = @token, acquired_at = @now, heartbeat_at = @now`,
      ),
      refresh: db.prepare<[string, number, string]>('UPDATE send_locks SET heartbeat_at = ? WHERE issue_id = ? AND token = ?'),
      release: db.prepare<[number, string]>('DELETE FROM send_locks WHERE issue_id = ? AND token = ?'),
    };
    this.takeTx = db.transaction((issueId: number, claimant: LockClaimant): LockResult => {
      const now = this.clock.now();
      const row = this.q.get.get(issueId);
      if (row && !claimant.replaces(toHolder(row), now)) {
        const { issueId: _, ...heldBy } = toHolder(row);
        return { ok: false, heldBy };
      }
      const token = randomBytes(12).toString('hex');
      this.q.take.run({ issue_id: issueId, holder: `pid ${claimant.pid} on ${claimant.host}`, pid: claimant.pid, host: claimant.host, token, now: now.toISOString() });
      return { ok: true, lock: this.handle(issueId, token) };
    });
  }

  async acquire(issueId: number, claimant: LockClaimant): Promise<LockResult> {
    return this.takeTx.immediate(issueId, claimant);
  }

  async holders(): Promise<(LockHolder & { issueId: number })[]> {
    return this.q.all.all().map(toHolder);
  }

  /** Only the token's owner can refresh or free the lock: a sender that was taken over cannot free its successor's. */
  private handle(issueId: number, token: string): SendLock {
    return {
      issueId,
      refresh: async () => this.q.refresh.run(this.clock.now().toISOString(), issueId, token).changes === 1,
      release: async () => {
        if (this.db.open) this.q.release.run(issueId, token);
      },
    };
  }
}
