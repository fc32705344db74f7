// A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl from Debian's binaries, run as an unprivileged
// user (PostgreSQL refuses root), in a temp folder, on a free port on 127.0.0.1; started once per test process
// on first use and stopped when the process exits. Each caller gets a fresh database in it. `npm test`'s PostgreSQL
// pass starts one cluster for all its test processes and hands them its URL in DIGEST_TEST_PG_URL (a cluster per
// file would cost each file an initdb).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The newest /usr/lib/postgresql/N/bin with initdb (PG_BIN overrides), or undefined. */
export function postgresBin(): string | undefined {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : undefined;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => join(root, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
}

/** Who runs the server: this process unless it is root, then `postgres` (Debian's package creates it) or `nobody`. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (r.status === 0) return { name, uid: Number(r.stdout.trim()), gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()) };
  }
  throw new Error('tests/helpers/postgres.ts: running as root and neither a postgres nor a nobody user exists to run the server');
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface PgCluster {
  port: number;
  /** The cluster's own `postgres` database, for DIGEST_TEST_PG_URL. */
  adminUrl: string;
  /** A new, empty database; returns its URL. */
  createDatabase(): Promise<string>;
  /** The same, waiting for createdb (for a helper that cannot await, such as a spawnSync of the CLI). */
  createDatabaseSync(): string;
  /** Stops the server at once (every connection cut, as a crash would), or starts it again on the same port. */
  stop(): void;
  start(): void;
}

let started: Promise<PgCluster> | undefined;
let counter = 0;

/** The process's cluster: the one DIGEST_TEST_PG_URL names (shared with other test processes), else one of its own started on first call. */
export function pgCluster(): Promise<PgCluster> {
  return (started ??= process.env.DIGEST_TEST_PG_URL ? Promise.resolve(shared(process.env.DIGEST_TEST_PG_URL)) : start());
}

/** Database names unique across the test processes that share a cluster. */
const nextName = () => `t${process.pid}_${++counter}`;

/** Fresh databases in the cluster whose `postgres` database is adminUrl, each returned as its URL. */
function databasesIn(bin: string, adminUrl: string): Pick<PgCluster, 'createDatabase' | 'createDatabaseSync'> {
  const url = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  return {
    async createDatabase() {
      const name = nextName();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    createDatabaseSync() {
      const name = nextName();
      const r = spawnSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', new URL(adminUrl).port, '-U', 'digest', name], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`createdb ${name} failed (${r.status}): ${r.stderr || r.stdout}`);
      return url(name);
    },
  };
}

/** Another process's cluster: databases in it, but never stopped from here (a test that stops its server needs its own). */
function shared(adminUrl: string): PgCluster {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (/usr/lib/postgresql/N/bin; apt-get install postgresql)');
  const refuse = () => {
    throw new Error('tests/helpers/postgres.ts: the cluster in DIGEST_TEST_PG_URL is shared; a test that stops its server must not run with it set');
  };
  return { port: Number(new URL(adminUrl).port), adminUrl, ...databasesIn(bin, adminUrl), stop: refuse, start: refuse };
}

async function start(): Promise<PgCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (/usr/lib/postgresql/N/bin; apt-get install postgresql)');
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'ed-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const as = (cmd: string, args: string[]) => (user ? ['runuser', ['-u', user.name, '--', join(bin, cmd), ...args]] : [join(bin, cmd), args]) as [string, string[]];
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = as(cmd, args);
    const r = spawnSync(file, argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'digest', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  let port = 0;
  // fsync off (a test cluster is thrown away), but every commit written before its answer, so a server killed
  // mid-send (postgres-faults.test.ts) loses nothing it acknowledged; the socket in the temp folder.
  const startOn = (p: number) =>
    run('pg_ctl', ['-D', data, '-o', `-c listen_addresses=127.0.0.1 -p ${p} -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      startOn(port);
      break;
    } catch (e) {
      if (attempt >= 3) throw e; // another process took the port between the probe and the start
    }
  }
  process.on('exit', () => {
    const [file, argv] = as('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    spawnSync(file, argv, { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  });
  const adminUrl = `postgres://digest@127.0.0.1:${port}/postgres`;
  return {
    port,
    adminUrl,
    ...databasesIn(bin, adminUrl),
    stop: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start: () => startOn(port),
  };
}
