// The PostgreSQL dialect of the Store: one pg Pool (checked and migrated on open) and a repository per table
// group, each with its named statements; sends from several hosts share it.
import type { Clock } from '../../clock.ts';
import type { Store } from '../store.ts';
import { PgAdminSessions } from './admin-sessions.ts';
import { connect } from './database.ts';
import { PgDeliveries } from './deliveries.ts';
import { PgIssueNotes } from './issue-notes.ts';
import { PgIssues } from './issues.ts';
import { PgLeadership } from './leadership.ts';
import { PgMeta } from './meta.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { PgSchedule } from './schedule.ts';
import { PgSendClaims } from './send-claims.ts';
import { PgSendLocks } from './send-locks.ts';
import { PgSubscribers } from './subscribers.ts';

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
  let closing: Promise<void> | undefined;
  return {
    subscribers: new PgSubscribers(db, opts.clock, opts.defaultTimezone),
    issues: new PgIssues(db, opts.clock),
    deliveries,
    sendLocks,
    sendClaims: new PgSendClaims(db, deliveries, opts.clock),
    leadership,
    schedule: new PgSchedule(db, opts.clock),
    notes: new PgIssueNotes(db, opts.clock),
    meta: new PgMeta(db, opts.secret),
    adminSessions: new PgAdminSessions(db),
    close: () => {
      sendLocks.markClosed();
      return (closing ??= Promise.all([leadership.close(), db.close()]).then(() => undefined));
    },
  };
}
