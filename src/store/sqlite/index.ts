// The SQLite dialect of the Store: one better-sqlite3 connection (WAL, foreign keys, busy timeout,
// migrated on open) and a repository per table group, each with its named statements.
import type { Clock } from '../../clock.ts';
import type { Store } from '../store.ts';
import { SqliteAdminSessions } from './admin-sessions.ts';
import { SqliteAudit } from './audit.ts';
import { openDatabase } from './database.ts';
import { SqliteDeliveries } from './deliveries.ts';
import { SqliteIssueNotes } from './issue-notes.ts';
import { SqliteIssues } from './issues.ts';
import { SqliteMeta } from './meta.ts';
import { SqlitePrivacy } from './privacy.ts';
import { SqliteRateLimits } from './rate-limits.ts';
import { SqliteSchedule } from './schedule.ts';
import { SqliteSendLocks } from './send-locks.ts';
import { SqliteSnapshots } from './snapshots.ts';
import { SqliteSubscribers } from './subscribers.ts';
import { Suppressions } from './suppressions.ts';

export interface SqliteOptions {
  /** The file (parent folders are created) or `:memory:`. */
  path: string;
  clock: Clock;
  defaultTimezone: string;
  secret?: string;
}

export function openSqliteStore(opts: SqliteOptions): Store {
  const db = openDatabase(opts.path, opts.clock);
  const meta = new SqliteMeta(db, opts.secret);
  const suppressions = new Suppressions(db, () => meta.suppressionSecret());
  return {
    subscribers: new SqliteSubscribers(db, opts.clock, opts.defaultTimezone, suppressions),
    issues: new SqliteIssues(db, opts.clock),
    snapshots: new SqliteSnapshots(db),
    deliveries: new SqliteDeliveries(db, opts.clock),
    sendLocks: new SqliteSendLocks(db, opts.clock),
    schedule: new SqliteSchedule(db, opts.clock),
    notes: new SqliteIssueNotes(db, opts.clock),
    meta,
    adminSessions: new SqliteAdminSessions(db),
    rateLimits: new SqliteRateLimits(db),
    privacy: new SqlitePrivacy(db, opts.clock, suppressions),
    audit: new SqliteAudit(db, opts.clock),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
