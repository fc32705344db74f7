// One pg Pool per Store: named statements, transactions on one pooled client, advisory lock keys, a lost connection
// tried again for a while (a server restart), and the errors a user can act on as one line naming the host (never
// the password).
import pg from 'pg';
import { DigestError } from '../../errors.ts';

/** What a repository runs its statements through: the pool, or one client inside a transaction. */
export interface Sql {
  rows<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  row<R>(text: string, params?: readonly unknown[]): Promise<R | undefined>;
  /** The number of rows the statement changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * Advisory lock keys (the first of pg's two int4 keys; the second is an id or 0). One table of them, so no two
 * uses collide: a transaction that must read then write takes its key first, as SQLite's IMMEDIATE does.
 */
export const LOCK = {
  migrations: 0x6564_0001,
  subscribers: 0x6564_0002,
  sendLock: 0x6564_0003,
  leader: 0x6564_0004,
} as const;

/** A name per statement text: pg then parses and plans it once per connection, not at every call. */
const names = new Map<string, string>();
const nameOf = (text: string) => {
  let name = names.get(text);
  if (!name) names.set(text, (name = `ed${names.size + 1}`));
  return name;
};

function sqlOver(q: pg.Pool | pg.PoolClient): Sql {
  // No parameters: the simple protocol, which also runs a migration's several statements.
  const exec = (text: string, params?: readonly unknown[]) => (params === undefined ? q.query(text) : q.query({ name: nameOf(text), text, values: params as unknown[] }));
  return {
    rows: async <R>(text: string, params?: readonly unknown[]) => (await exec(text, params)).rows as R[],
    row: async <R>(text: string, params?: readonly unknown[]) => (await exec(text, params)).rows[0] as R | undefined,
    run: async (text: string, params?: readonly unknown[]) => (await exec(text, params)).rowCount ?? 0,
  };
}

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** A lost or refused connection (a server restarting, a network cut): worth trying again, unlike a statement's error. */
function connectionLost(e: unknown): boolean {
  const { code, message } = e as { code?: string; message?: string };
  if (code && (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code) || code.startsWith('08') || /^57P0[123]$/.test(code))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(message ?? '');
}

export class PgDatabase implements Sql {
  readonly rows: Sql['rows'];
  readonly row: Sql['row'];
  readonly run: Sql['run'];

  constructor(
    private readonly pool: pg.Pool,
    /** host:port, for messages. */
    readonly host: string,
    /** How long a lost connection is tried again before a DATABASE error. */
    private readonly retryMs = 30_000,
  ) {
    const over = sqlOver(pool);
    this.rows = (text, params) => this.retrying(() => over.rows(text, params));
    this.row = (text, params) => this.retrying(() => over.row(text, params));
    this.run = (text, params) => this.retrying(() => over.run(text, params));
  }

  /**
   * Runs `fn` in one transaction on one client; `locks` are advisory keys taken first (held to the commit). A
   * connection lost on the way runs the whole transaction again on a new one: every transaction here may be
   * repeated (a commit whose answer was lost is applied again to the same effect).
   */
  transaction<T>(fn: (sql: Sql) => Promise<T>, ...locks: [number, number][]): Promise<T> {
    return this.retrying(async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      // A connection cut while the client is lent out (between two statements) is an 'error' event on it: without
      // a listener it would end the process. The statement that follows fails, and the retry takes over.
      const cut = (e: Error) => void (broken = e);
      client.on('error', cut);
      try {
        await client.query('BEGIN');
        for (const [a, b] of locks) await client.query('SELECT pg_advisory_xact_lock($1, $2)', [a, b]);
        const result = await fn(sqlOver(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        throw e;
      } finally {
        // A client whose rollback failed has a broken connection: the pool drops it instead of lending it again.
        client.off('error', cut);
        client.release(broken);
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Tries again while the connection is lost (a server restart), pausing 0.25 s doubling to 2 s, for retryMs. */
  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const start = performance.now();
    for (let pause = 250; ; pause = Math.min(pause * 2, 2000)) {
      try {
        return await attempt();
      } catch (e) {
        if (!connectionLost(e)) throw e;
        if (performance.now() - start + pause > this.retryMs) {
          throw new DigestError('DATABASE', `db: lost the connection to PostgreSQL at ${this.host} and could not get it back within ${Math.round(this.retryMs / 1000)} s (${connectProblem(e as Error)})`);
        }
        await sleep(pause);
      }
    }
  }
}

/** Why a connection failed, in words a user can act on (pg's own message for the server's refusals). */
function connectProblem(e: Error & { code?: string }): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ETIMEDOUT':
      return 'no answer';
    default:
      return e.message.split('\n')[0];
  }
}

/** A pool on `url`, checked with one connection now, so a wrong URL or a server that refuses is told at start. */
export async function connect(url: string, host: string, opts: { connectTimeoutMs?: number; maxConnections?: number; retryMs?: number } = {}): Promise<PgDatabase> {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000, max: opts.maxConnections ?? 10 });
  // An idle client's error (the server restarted) must not crash the process: the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new DigestError('CONFIG', `db: cannot connect to PostgreSQL at ${host}: ${connectProblem(e as Error)}`);
  }
  return new PgDatabase(pool, host, opts.retryMs);
}
