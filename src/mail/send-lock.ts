// One sender per issue: a row in send_locks taken in an IMMEDIATE transaction, refreshed while
// sending, freed on exit, and taken over once its holder is dead or has stopped refreshing it.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';

export interface LockHolder {
  holder: string;
  pid: number;
  host: string;
  acquiredAt: string;
  heartbeatAt: string;
}

export type LockResult = { ok: true; lock: SendLock } | { ok: false; heldBy: LockHolder };

interface Row {
  holder: string;
  pid: number;
  host: string;
  token: string;
  acquired_at: string;
  heartbeat_at: string;
}

/** Whether a process on this machine is alive (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockOptions {
  /** A holder that has not refreshed the lock for this long is taken to be dead (other hosts). */
  staleMs: number;
  pid?: number;
  host?: string;
}

export class SendLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    readonly issueId: number,
    private readonly token: string,
  ) {}

  static acquire(db: Database.Database, clock: Clock, issueId: number, opts: LockOptions): LockResult {
    const pid = opts.pid ?? process.pid;
    const host = opts.host ?? hostname();
    const token = randomBytes(12).toString('hex');
    const take = db.transaction((): LockResult => {
      const now = clock.now();
      const row = db.prepare<[number], Row>('SELECT * FROM send_locks WHERE issue_id = ?').get(issueId);
      if (row) {
        const sameHost = row.host === host;
        const stale = sameHost ? !alive(row.pid) : now.getTime() - Date.parse(row.heartbeat_at) > opts.staleMs;
        if (!stale) {
          return { ok: false, heldBy: { holder: row.holder, pid: row.pid, host: row.host, acquiredAt: row.acquired_at, heartbeatAt: row.heartbeat_at } };
        }
      }
      db.prepare(
        `INSERT INTO send_locks (issue_id, holder, pid, host, token, acquired_at, heartbeat_at)
         VALUES (@issueId, @holder, @pid, @host, @token, @now, @now)
         ON CONFLICT (issue_id) DO UPDATE SET holder = @holder, pid = @pid, host = @host, token = @token, acquired_at = @now, heartbeat_at = @now`,
      ).run({ issueId, holder: `pid ${pid} on ${host}`, pid, host, token, now: now.toISOString() });
      return { ok: true, lock: new SendLock(db, clock, issueId, token) };
    });
    // IMMEDIATE: the read and the write happen under one write lock, so two senders cannot both win.
    return take.immediate();
  }

  /** Still ours? Refreshes the heartbeat; false when another sender took the lock over. */
  refresh(): boolean {
    const r = this.db
      .prepare('UPDATE send_locks SET heartbeat_at = ? WHERE issue_id = ? AND token = ?')
      .run(this.clock.now().toISOString(), this.issueId, this.token);
    return r.changes === 1;
  }

  release(): void {
    if (this.db.open) this.db.prepare('DELETE FROM send_locks WHERE issue_id = ? AND token = ?').run(this.issueId, this.token);
  }
}
