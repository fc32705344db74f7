// One sender per issue: who holds an issue's send lock, and when a holder counts as dead and may be
// replaced. The store takes, refreshes and frees the lock atomically; this module holds the policy.
import { hostname } from 'node:os';

export interface LockHolder {
  holder: string;
  pid: number;
  host: string;
  acquiredAt: string;
  heartbeatAt: string;
}

/** A lock this process holds: refreshed while sending, released on exit. */
export interface SendLock {
  readonly issueId: number;
  /** Still ours? Refreshes the heartbeat; false when another sender took the lock over. */
  refresh(): Promise<boolean>;
  release(): Promise<void>;
}

export type LockResult = { ok: true; lock: SendLock } | { ok: false; heldBy: LockHolder };

/** Who asks for the lock, and which current holder it may replace (decided inside the store's transaction). */
export interface LockClaimant {
  pid: number;
  host: string;
  replaces(holder: LockHolder, now: Date): boolean;
}

export interface LockOptions {
  /** A holder that has not refreshed the lock for this long is taken to be dead (other hosts). */
  staleMs: number;
  pid?: number;
  host?: string;
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

/** This process as a claimant: a holder on the same host is dead when its pid is gone; on another, when it stopped refreshing. */
export function lockClaimant(opts: LockOptions): LockClaimant {
  const pid = opts.pid ?? process.pid;
  const host = opts.host ?? hostname();
  return {
    pid,
    host,
    replaces: (holder, now) => (holder.host === host ? !alive(holder.pid) : now.getTime() - Date.parse(holder.heartbeatAt) > opts.staleMs),
  };
}
