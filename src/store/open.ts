// Opens the Store that config `db` names: a file path or `sqlite:PATH` is SQLite, postgres://… is PostgreSQL.
// Each dialect's driver is loaded only when its database is opened.
import { parseDbSetting } from './db-setting.ts';
import type { Store, StoreOptions } from './store.ts';

export { parseDbSetting };

/** Opened and migrated; async because a server dialect connects first. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const setting = parseDbSetting(opts.db, opts.cwd);
  const { clock, defaultTimezone, secret } = opts;
  if (setting.dialect === 'postgres') {
    const { openPostgresStore } = await import('./postgres/index.ts');
    return openPostgresStore({ url: setting.url, host: setting.host, clock, defaultTimezone, secret, retrySeconds: opts.retrySeconds });
  }
  const { openSqliteStore } = await import('./sqlite/index.ts');
  return openSqliteStore({ path: setting.path, clock, defaultTimezone, secret });
}
