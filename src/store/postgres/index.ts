// The PostgreSQL dialect of the Store: one pg Pool (checked and migrated on open) and a repository per table
// group, each with its named statements; sends from several hosts share it.
import type { Clock } from '../../clock.ts';
import type { Store } from '../store.ts';
import { PgAdminSessions } from './admin-sessions.ts';
import { PgAudit } from './audit.ts';
import { connect } from './database.ts';
import { PgDeliveries } from './deliveries.ts';
import { PgIssueNotes } from './issue-notes.ts';
import { PgIssues } from './issues.ts';
import { PgLeadership } from './leadership.ts';
import { PgMeta } from './meta.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { PgPrivacy } from './privacy.ts';
import { PgRateLimits } from './rate-limits.ts';
import { PgSchedule } from './schedule.ts';
import { PgSendClaims } from './send-claims.ts';
import { PgSendLocks } from './send-locks.ts';
import { PgSnapshots } from './snapshots.ts';
import { PgSubscribers } from './subscribers.ts';
import { PgSuppressions } from './suppressions.ts';

export interface PostgresOptions {
  /** postgres://user:pass@host:port/name */
  url: string;
  /** host:port, for messages (never the password). */
  host: string;
  clock: Clock;
  defaultTimezone: string;
  secret?: string;
  /** How long a lost connection is tried again (default 30 s). */
  retrySeconds?: number;
}

export async function openPostgresStore(opts: PostgresOptions): Promise<Store> {
  const db = await connect(opts.url, opts.host, { retryMs: (opts.retrySeconds ?? 30) * 1000 });
  try {
    await migrate(db, loadMigrations(), opts.clock);
  } catch (e) {
    await db.close();
    throw e;
  }
  const sendLocks = new PgSendLocks(db, opts.clock);
  const deliveries = new PgDeliveries(db, opts.clock);
  const leadership = new PgLeadership(opts.url);
  const meta = new PgMeta(db, opts.secret);
  const suppressions = new PgSuppressions(() => meta.suppressionSecret());
  let closing: Promise<void> | undefined;
  return {
    subscribers: new PgSubscribers(db, opts.clock, opts.defaultTimezone, suppressions),
    issues: new PgIssues(db, opts.clock),
    snapshots: new PgSnapshots(db),
    deliveries,
    sendLocks,
    sendClaims: new PgSendClaims(db, deliveries, opts.clock),
    leadership,
    schedule: new PgSchedule(db, opts.clock),
    notes: new PgIssueNotes(db, opts.clock),
    meta,
    adminSessions: new PgAdminSessions(db),
    rateLimits: new PgRateLimits(db),
    privacy: new PgPrivacy(db, opts.clock, suppressions),
    audit: new PgAudit(db, opts.clock),
    close: () => {
      sendLocks.markClosed();
      return (closing ??= Promise.all([leadership.close(), db.close()]).then(() => undefined));
    },
  };
}
