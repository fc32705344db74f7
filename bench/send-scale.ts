// Benchmarks several senders on one PostgreSQL list: 30,000 readers sent by 1, 2 and 3 concurrent `send`
// processes to one loopback SMTP sink (its own process); messages/s for each and the ratio to one sender.
// The cluster is the tests' throwaway one (tests/helpers/postgres.ts); the ledger is emptied between runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Bench } from './run.ts';
import { fixedClock } from '../src/clock.ts';
import { openStore } from '../src/store/open.ts';
import { pgCluster, postgresBin } from '../tests/helpers/postgres.ts';
import { VARIANTS } from './fixtures.ts';

const N = Number(process.env.BENCH_SCALE_N ?? 30_000);
const ROOT = join(import.meta.dirname, '..');

async function startSink(): Promise<{ port: number; stop(): Promise<void> }> {
  const p = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'smtp-sink-process.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((ok, fail) => {
    p.stdout.once('data', (d) => ok(Number(String(d).trim())));
    p.once('exit', () => fail(new Error('sink exited')));
  });
  return { port, stop: () => new Promise((ok) => (p.once('exit', () => ok()), p.kill('SIGTERM'))) };
}

/** One `send` process; resolves with what it says it sent. */
function sender(dir: string, env: Record<string, string>): Promise<number> {
  const p = spawn(process.execPath, [join(ROOT, 'bin/event-digest.js'), 'send', '--as-of', '2016-11-28'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  return new Promise((ok, fail) =>
    p.on('exit', (code) => {
      const m = /^sent (\d+),/m.exec(out.trim().split('\n').at(-1) ?? '');
      if (code !== 0 || !m) fail(new Error(`send exited ${code}: ${err || out}`));
      else ok(Number(m[1]));
    }),
  );
}

async function run(): Promise<void> {
  if (!postgresBin()) {
    console.log('skipped: PostgreSQL binaries not found (/usr/lib/postgresql/N/bin)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ed-bench-scale-'));
  const sink = await startSink();
  const db = await (await pgCluster()).createDatabase();
  writeFileSync(join(dir, 'event-digest.config.yaml'), `events: ${join(ROOT, 'data/events.yaml')}\nbaseUrl: https://digest.example.org\nsending:\n  connections: 5\n  claimBatch: 200\n`);
  const env = { DIGEST_DB: db, SMTP_URL: `smtp://127.0.0.1:${sink.port}`, DIGEST_NOW: '2016-11-27T13:00:00Z', CI: '' };
  const raw = new pg.Client({ connectionString: db });
  try {
    const store = await openStore({ db, clock: fixedClock(new Date(env.DIGEST_NOW)), defaultTimezone: 'America/New_York' });
    const t0 = performance.now();
    const readers = Array.from({ length: N }, (_, i) => ({ email: `reader${i}@example.org`, name: `Reader ${i}`, timezone: VARIANTS[i % VARIANTS.length].zone }));
    await store.subscribers.addAll(readers, { source: 'bench' });
    await store.close();
    console.log(`${N.toLocaleString('en-US')} readers added in ${((performance.now() - t0) / 1000).toFixed(1)} s; PostgreSQL ${db.replace(/\/[^/]*$/, '')}; sink on 127.0.0.1:${sink.port} (own process); 5 connections and batches of 200 per sender; ${(await import('node:os')).cpus().length} cores`);
    await raw.connect();
    const rates: number[] = [];
    for (const k of [1, 2, 3]) {
      // The same issue each time, from an empty ledger.
      await raw.query('DELETE FROM deliveries; DELETE FROM senders; DELETE FROM send_locks; DELETE FROM issues');
      const t = performance.now();
      const sent = await Promise.all(Array.from({ length: k }, () => sender(dir, env)));
      const s = (performance.now() - t) / 1000;
      const total = sent.reduce((a, b) => a + b, 0);
      if (total !== N) throw new Error(`${k} senders sent ${total}, not ${N}`);
      rates.push(N / s);
      console.log(`${k} sender${k > 1 ? 's' : ' '}: ${s.toFixed(1)} s, ${(N / s).toFixed(0)} messages/s (each sent ${sent.join(', ')}), ${(N / s / rates[0]).toFixed(2)}x one sender`);
    }
    console.log(`3 senders against 1: ${(rates[2] / rates[0]).toFixed(2)}x (target 2x; on a 2-core machine the senders, the sink and PostgreSQL share the cores)`);
  } finally {
    await raw.end().catch(() => undefined);
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = { name: 'send-scale', description: 'several senders on one PostgreSQL list (1, 2, 3 processes) to a loopback SMTP sink', run };
