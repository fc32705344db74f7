// Opens the Store that config `db` names: a file path or `sqlite:PATH` is SQLite; PostgreSQL is planned, not built.
import { parseDbSetting } from './db-setting.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { Store, StoreOptions } from './store.ts';

export { parseDbSetting };

/** Opened and migrated; async because a server dialect connects first. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const { path } = parseDbSetting(opts.db, opts.cwd);
  return openSqliteStore({ path, clock: opts.clock, defaultTimezone: opts.defaultTimezone, secret: opts.secret });
}
