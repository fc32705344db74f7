// The store's two engines for tests that run against both: SQLite (a file in the test's folder) and PostgreSQL (a
// fresh database in the process's throwaway cluster). Outside CI, PostgreSQL tests are skipped with a notice when
// its binaries are absent; with CI set they run and fail instead. TEST_ENGINE is the engine of the helpers (webEnv,
// sendEnv, scheduleEnv, the CLI processes) for tests that do not choose one: SQLite, or PostgreSQL when
// DIGEST_TEST_ENGINE=postgres (npm test's PostgreSQL pass, scripts/test.js).
import { test, type TestContext } from 'node:test';
import { join } from 'node:path';
import pg from 'pg';
import { pgCluster, postgresBin, type PgCluster } from './postgres.ts';
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
    if (cluster) return Promise.resolve(folderDatabase(cluster, dir));
    let url = databases.get(dir);
    if (!url) databases.set(dir, (url = pgCluster().then((c) => c.createDatabase())));
    return url;
  },
};

export const ENGINES: readonly Engine[] = [SQLITE, POSTGRES];

const engineName = process.env.DIGEST_TEST_ENGINE ?? 'sqlite';
if (engineName !== 'sqlite' && engineName !== 'postgres') throw new Error(`DIGEST_TEST_ENGINE=${engineName}: sqlite or postgres`);

/** The engine the helpers put a test folder's store on (DIGEST_TEST_ENGINE, default sqlite). */
export const TEST_ENGINE: Engine = engineName === 'postgres' ? POSTGRES : SQLITE;

/** On the PostgreSQL pass the cluster is up before any test, so a folder's database can be had without waiting. */
const cluster: PgCluster | undefined = TEST_ENGINE === POSTGRES ? await pgCluster() : undefined;
if (cluster) await import('./no-sqlite.ts');

/**
 * Config `db` for a test folder on TEST_ENGINE, at once: the SQLite file `file` under dir, or the folder's
 * PostgreSQL database (the same one engine.db(dir) gives, created on first use).
 */
export function testDb(dir: string, file = 'var/event-digest.db'): string {
  return cluster ? folderDatabase(cluster, dir) : join(dir, file);
}

const ready = new Map<string, string>();
function folderDatabase(c: PgCluster, dir: string): string {
  let url = ready.get(dir);
  if (!url) ready.set(dir, (url = c.createDatabaseSync()));
  return url;
}

/**
 * What a CLI run in `dir` adds to its environment for TEST_ENGINE: DIGEST_DB with the folder's PostgreSQL database,
 * or nothing on SQLite (the config's `db`, or the default file beside it).
 */
export function engineEnv(dir: string): Record<string, string> {
  return cluster ? { DIGEST_DB: testDb(dir) } : {};
}

/**
 * A test whose subject is SQLite itself (its file, WAL, lock). On the PostgreSQL pass it is not registered (it is
 * not a PostgreSQL test left undone, so it is no "skipped" there): a notice line says so, with the reason.
 */
export function sqliteOnlyTest(name: string, reason: string, fn: (t: TestContext) => void | Promise<void>): void {
  if (TEST_ENGINE === POSTGRES) process.stderr.write(`notice: SQLite only, not part of the PostgreSQL pass: ${name} (${reason})\n`);
  else test(name, fn);
}

/** The same test once per engine, named "sqlite: …" and "postgres: …". */
export function engineTest(name: string, fn: (t: TestContext, engine: Engine) => Promise<void>): void {
  for (const engine of ENGINES) test(`${engine.name}: ${name}`, { skip: engine.skip }, (t) => fn(t, engine));
}

/**
 * One statement on a second connection to the folder's database, below the Store, for what a test checks of the
 * schema itself or changes by hand. Write it in the SQL both engines take, values inline. Returns the rows.
 */
export async function rawSql(engine: Engine, dir: string, sql: string): Promise<Record<string, unknown>[]> {
  return rawSqlAt(await engine.db(dir, 'var/test.db'), sql);
}

/** rawSql on the store a config `db` names (a PostgreSQL URL or a SQLite file), as webEnv's config.db or sendEnv's db(). */
export async function rawSqlAt(db: string, sql: string): Promise<Record<string, unknown>[]> {
  if (!/^postgres(ql)?:\/\//.test(db)) {
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
