// The Store: one opened database and the repositories on it; what commands, the sender and the web app share.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { SubscriberStore } from '../subscribers/subscriber-store.ts';
import { openDatabase } from './database.ts';
import { metaQueries, storedLinkSecret } from './meta.ts';

export interface StoreOptions {
  /** The SQLite file (config `db`, resolved against the working directory); parent folders are created. */
  path: string;
  clock: Clock;
  /** The list's `timezone`: new subscribers who name no zone get it. */
  defaultTimezone: string;
  /** Config `secret`; when unset, a secret generated once and kept in the database. */
  secret?: string;
}

export interface Store {
  /** For other repositories (the send ledger…) to prepare their own statements on the same connection. */
  readonly db: Database.Database;
  readonly subscribers: SubscriberStore;
  /** The key for signed links (tokens.ts): stable across runs. */
  linkSecret(): string;
  /** Runs fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export function openStore(opts: StoreOptions): Store {
  const db = openDatabase(opts.path, opts.clock);
  const meta = metaQueries(db);
  let secret = opts.secret;
  return {
    db,
    subscribers: new SubscriberStore(db, opts.clock, opts.defaultTimezone),
    linkSecret: () => (secret ??= storedLinkSecret(meta)),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => {
      if (db.open) db.close();
    },
  };
}
