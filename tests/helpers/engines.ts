// The store's two engines for tests that run against both: SQLite (a file in the test's folder) and PostgreSQL (a
// fresh database in the process's throwaway cluster). Outside CI, PostgreSQL tests are skipped with a notice when
// its binaries are absent; with CI set they run and fail instead.
import { test, type TestContext } from 'node:test';
import { join } from 'node:path';
import pg from 'pg';
import { pgCluster, postgresBin } from './postgres.ts';
import { sqliteFile } from './sqlite-file.ts';

export interface Engine {
  name: 'sqlite' | 'postgres';
  /** Why this engine's tests are skipped here, if they are. */
  skip?: string;
  /** Config `db` for a test's folder: the same database for the same folder (two connections to one store). */
  db(dir: string, file?: string): Promise<string>;
}

const databases = new Map<string, Promise<string>>();

const missing = !process.env.CI && !postgresBin() ? 'PostgreSQL binaries not found (/usr/lib/postgresql/N/bin): PostgreSQL runs skipped; apt-get install postgresql to run them' : undefined;
if (missing) process.stderr.write(`notice: ${missing}\n`);

export const SQLITE: Engine = { name: 'sqlite', db: async (dir, file = 'var/test.db') => join(dir, file) };

export const POSTGRES: Engine = {
  name: 'postgres',
  skip: missing,
  db: (dir) => {
    let url = databases.get(dir);
    if (!url) databases.set(dir, (url = pgCluster().then((c) => c.createDatabase())));
    return url;
  },
};

export const ENGINES: readonly Engine[] = [SQLITE, POSTGRES];

/** The same test once per engine, named "sqlite: …" and "postgres: …". */
export function engineTest(name: string, fn: (t: TestContext, engine: Engine) => Promise<void>): void {
  for (const engine of ENGINES) test(`${engine.name}: ${name}`, { skip: engine.skip }, (t) => fn(t, engine));
}

/**
 * One statement on a second connection to the folder's database, below the Store, for what a test checks of the
 * schema itself or changes by hand. Write it in the SQL both engines take, values inline. Returns the rows.
 */
export async function rawSql(engine: Engine, dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await engine.db(dir, 'var/test.db');
  if (engine.name === 'sqlite') {
    const raw = sqliteFile(db);
    try {
      const stmt = raw.prepare(sql);
      return stmt.reader ? (stmt.all() as Record<string, unknown>[]) : (stmt.run(), []);
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
