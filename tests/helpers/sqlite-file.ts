// The SQLite dialect's file opened directly, beside the Store, for what a test does below the Store on
// purpose: a fault injected with a trigger, a row removed by hand, a check of the schema's own rules.
import Database from 'better-sqlite3';

/** A second connection to the store's file (WAL lets both work); close it when done. */
export function sqliteFile(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('busy_timeout = 60000'); // a minute: another process may hold the write lock for long on a busy machine
  return db;
}
