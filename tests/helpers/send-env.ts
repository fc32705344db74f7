// A temp working folder for send tests: config, a SQLite file (or a PostgreSQL database) with subscribers, and the CLI in-process.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixedClock } from '../../src/clock.ts';
import { run } from '../../src/cli/program.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { engineEnv, TEST_ENGINE, type Engine } from './engines.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const NOW = '2016-11-27T13:00:00Z';

export interface SendEnv {
  dir: string;
  env: Record<string, string>;
  /** The SQLite file the CLI uses (config `db` default under dir); with the postgres engine, unused. */
  dbPath: string;
  /** Config `db` as the CLI gets it (DIGEST_DB for PostgreSQL; the default file for SQLite). */
  db(): Promise<string>;
  store(): Promise<Store>;
  cli(args: string[], extraEnv?: Record<string, string>): Promise<{ code: number; out: string; err: string }>;
}

/** With `engine` postgres (default TEST_ENGINE), the CLI and store() use a fresh PostgreSQL database (DIGEST_DB); otherwise the SQLite file. */
export function sendEnv(opts: { smtpUrl?: string; sending?: Record<string, number>; extraConfig?: string; engine?: Engine } = {}): SendEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ed-send-'));
  const engine = opts.engine ?? TEST_ENGINE;
  const sending = { connections: 2, retries: 2, backoffMs: 5, stopAfterFailures: 25, ...opts.sending };
  writeFileSync(
    join(dir, 'event-digest.config.yaml'),
    // A public baseUrl and a postal address: send through SMTP refuses mail without them.
    `events: ${join(ROOT, 'data/events.yaml')}\nbaseUrl: https://digest.example.org\n${opts.extraConfig?.includes('postalAddress:') ? '' : 'postalAddress: "1 Main St, Springfield, IL 62701"\n'}sending:\n${Object.entries(sending).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n${opts.extraConfig ?? ''}`,
  );
  // On the PostgreSQL pass env carries the folder's database, so a process the test spawns with it uses it too.
  const env: Record<string, string> = { DIGEST_NOW: NOW, ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}), ...(engine === TEST_ENGINE ? engineEnv(dir) : {}) };
  const dbPath = join(dir, 'var/event-digest.db');
  let url: Promise<string> | undefined;
  const db = () => (engine.name === 'postgres' ? (url ??= engine.db(dir)) : Promise.resolve(dbPath));
  const dbEnv = async (): Promise<Record<string, string>> => (engine.name === 'postgres' ? { DIGEST_DB: await db() } : {});
  return {
    dir,
    env,
    dbPath,
    db,
    store: async () => openStore({ db: await db(), clock: fixedClock(new Date(NOW)), defaultTimezone: 'America/New_York' }),
    async cli(args, extraEnv = {}) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await run(args, { cwd: dir, env: { ...env, ...(await dbEnv()), ...extraEnv }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}

/** Adds subscribers (all active unless a status is given) through the store, in order (ids follow the rows). */
export async function addSubscribers(store: Store, rows: { email: string; name?: string; timezone?: string; kinds?: string[]; status?: 'unsubscribed' | 'pending' }[]): Promise<void> {
  for (const r of rows) {
    const fields = { email: r.email, name: r.name, timezone: r.timezone, kinds: r.kinds };
    if (r.status === 'pending') await store.subscribers.requestSubscription(fields, 'test');
    else {
      const { subscriber } = await store.subscribers.add(fields, { source: 'test' });
      if (r.status === 'unsubscribed') await store.subscribers.unsubscribe(subscriber.id);
    }
  }
}

/** `send --as-of 2016-11-28` in a process of its own, on the env's database; `exit` resolves with what it printed. */
export async function sendProcess(e: SendEnv, env: Record<string, string> = {}) {
  const p = spawn(process.execPath, [`${ROOT}/bin/event-digest.js`, 'send', '--as-of', '2016-11-28'], {
    cwd: e.dir,
    env: { ...process.env, ...e.env, ...(e.dbPath === (await e.db()) ? {} : { DIGEST_DB: await e.db() }), CI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((ok) => p.on('exit', (code, signal) => ok({ code, signal, out, err })));
  return { pid: p.pid!, kill: () => p.kill('SIGKILL'), exit };
}
