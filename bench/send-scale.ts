// Benchmarks several senders on one PostgreSQL list: 30,000 readers sent by 1, 2 and 3 concurrent `send`
// processes to one loopback SMTP sink (its own process); messages/s for each, the ratio to one sender, and where
// the CPU went (seconds per 1,000 messages for the senders, PostgreSQL and the sink, the machine's busy share, and
// how long the senders waited for a core), since on a small machine the processes share the cores. The cluster is
// the tests' throwaway one (tests/helpers/postgres.ts); the ledger is emptied between runs; rounds of 1, 2, 3 are
// repeated and the medians kept.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Bench } from './run.ts';
import { buildCli, median } from './shared.ts';
import { fixedClock } from '../src/clock.ts';
import { openStore } from '../src/store/open.ts';
import { pgCluster, postgresBin } from '../tests/helpers/postgres.ts';
import { VARIANTS } from './fixtures.ts';

const N = Number(process.env.BENCH_SCALE_N ?? 30_000);
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 3);
const ROOT = join(import.meta.dirname, '..');
const SENDERS = [1, 2, 3];

/** CPU seconds from /proc (Linux): a process's own, or with `reaped` also its children's that have exited. */
function cpuSeconds(pid: number, reaped = false): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** Seconds a process's main thread has spent on a core and runnable but waiting for one (/proc/<pid>/schedstat). */
function schedSeconds(pid: number): { on: number; waiting: number } {
  try {
    const [on, waiting] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { on: on / 1e9, waiting: waiting / 1e9 };
  } catch {
    return { on: NaN, waiting: NaN };
  }
}

/** PostgreSQL's CPU: the postmaster, its live processes, and the backends that have exited (reaped by it). */
function postgresCpu(postmaster: number): number {
  let t = cpuSeconds(postmaster, true);
  for (const d of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === postmaster) t += cpuSeconds(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return t;
}

/** The machine's busy and total CPU seconds so far (all cores, every process, ours or not). */
function machineCpu(): { busy: number; all: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const all = f.reduce((a, b) => a + b, 0);
  return { busy: (all - f[3] - f[4]) / 100, all: all / 100 };
}

async function startSink(): Promise<{ pid: number; port: number; stop(): Promise<void> }> {
  const p = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'smtp-sink-process.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((ok, fail) => {
    p.stdout.once('data', (d) => ok(Number(String(d).trim())));
    p.once('exit', () => fail(new Error('sink exited')));
  });
  return { pid: p.pid!, port, stop: () => new Promise((ok) => (p.once('exit', () => ok()), p.kill('SIGTERM'))) };
}

/**
 * One `send` process; resolves with what it says it sent, the CPU it used and how long its main thread waited for a
 * core (the last readings before it exited).
 */
function sender(dir: string, env: Record<string, string>): Promise<{ sent: number; cpu: number; waiting: number }> {
  const p = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'send', '--as-of', '2016-11-28'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let cpu = 0;
  let waiting = 0;
  const watch = setInterval(() => {
    cpu = cpuSeconds(p.pid!) || cpu;
    waiting = schedSeconds(p.pid!).waiting || waiting;
  }, 100);
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  return new Promise((ok, fail) =>
    p.on('exit', (code) => {
      clearInterval(watch);
      const m = /^sent (\d+),/m.exec(out.trim().split('\n').at(-1) ?? '');
      if (code !== 0 || !m) fail(new Error(`send exited ${code}: ${err || out}`));
      else ok({ sent: Number(m[1]), cpu, waiting });
    }),
  );
}

interface Run {
  rate: number;
  /** CPU seconds per 1,000 messages. */
  senders: number;
  postgres: number;
  sink: number;
  /** Share of all cores busy during the run (any process on the machine). */
  busy: number;
  /** Share of the senders' lives their main threads spent runnable but waiting for a core. */
  starved: number;
}

async function run(): Promise<void> {
  if (!postgresBin()) {
    console.log('skipped: PostgreSQL binaries not found (/usr/lib/postgresql/N/bin)');
    return;
  }
  if (!existsSync('/proc/stat')) console.log('no /proc: CPU figures are left out');
  // The senders run the compiled CLI, as an installed package does (not the sources through tsx), and dist/ itself
  // rather than the bin, which would fall back to tsx if a source changed during the bench.
  buildCli();
  const dir = mkdtempSync(join(tmpdir(), 'ed-bench-scale-'));
  const sink = await startSink();
  const cluster = await pgCluster();
  const db = await cluster.createDatabase();
  writeFileSync(
    join(dir, 'event-digest.config.yaml'),
    `events: ${join(ROOT, 'data/events.yaml')}\nbaseUrl: https://digest.example.org\npostalAddress: Movement Digest, 1 Main St, Washington, DC 20001\nsending:\n  connections: 5\n  claimBatch: 200\n`,
  );
  const env = { DIGEST_DB: db, SMTP_URL: `smtp://127.0.0.1:${sink.port}`, DIGEST_NOW: '2016-11-27T13:00:00Z', CI: '' };
  const raw = new pg.Client({ connectionString: db });
  const cores = cpus().length;
  try {
    const store = await openStore({ db, clock: fixedClock(new Date(env.DIGEST_NOW)), defaultTimezone: 'America/New_York' });
    const t0 = performance.now();
    const readers = Array.from({ length: N }, (_, i) => ({ email: `reader${i}@example.org`, name: `Reader ${i}`, timezone: VARIANTS[i % VARIANTS.length].zone }));
    await store.subscribers.addAll(readers, { source: 'bench' });
    await store.close();
    await raw.connect();
    const settings = (await raw.query<{ name: string; setting: string; unit: string | null }>(`SELECT name, setting, unit FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers')`)).rows;
    const dataDir = (await raw.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory;
    const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    console.log(
      `${N.toLocaleString('en-US')} readers added in ${((performance.now() - t0) / 1000).toFixed(1)} s; PostgreSQL ${db.replace(/\/[^/]*$/, '')} (${settings.map((s) => `${s.name}=${s.setting}${s.unit === '8kB' ? '×8kB' : ''}`).join(', ')}); ` +
        `sink on 127.0.0.1:${sink.port} (own process); 5 connections and batches of 200 per sender; ${cores} cores; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    const runs = new Map<number, Run[]>(SENDERS.map((k) => [k, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const k of SENDERS) {
        // The same issue each time, from an empty ledger (TRUNCATE: no dead rows left over from the run before).
        await raw.query('TRUNCATE issues, senders, send_locks CASCADE');
        const before = { machine: machineCpu(), postgres: postgresCpu(postmaster), sink: cpuSeconds(sink.pid) };
        const t = performance.now();
        const results = await Promise.all(Array.from({ length: k }, () => sender(dir, env)));
        const s = (performance.now() - t) / 1000;
        const machine = machineCpu();
        const total = results.reduce((a, r) => a + r.sent, 0);
        if (total !== N) throw new Error(`${k} senders sent ${total}, not ${N}`);
        const per1000 = (cpu: number) => (cpu / N) * 1000;
        const r: Run = {
          rate: N / s,
          senders: per1000(results.reduce((a, x) => a + x.cpu, 0)),
          postgres: per1000(postgresCpu(postmaster) - before.postgres),
          sink: per1000(cpuSeconds(sink.pid) - before.sink),
          busy: (machine.busy - before.machine.busy) / (machine.all - before.machine.all),
          starved: results.reduce((a, x) => a + x.waiting, 0) / (k * s),
        };
        runs.get(k)!.push(r);
        console.log(
          `round ${round}, ${k} sender${k > 1 ? 's' : ' '}: ${s.toFixed(1)} s, ${r.rate.toFixed(0)} messages/s (each sent ${results.map((x) => x.sent).join(', ')}); ` +
            `CPU s per 1,000 messages: senders ${r.senders.toFixed(2)}, PostgreSQL ${r.postgres.toFixed(2)}, sink ${r.sink.toFixed(2)}; machine ${(r.busy * 100).toFixed(0)}% busy; ` +
            `the senders waited for a core ${(r.starved * 100).toFixed(0)}% of the time`,
        );
      }
    }
    const med = (k: number, f: (r: Run) => number) => median(runs.get(k)!.map(f));
    const one = med(1, (r) => r.rate);
    console.log(`\nmedians of ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} (load now ${loadavg().map((l) => l.toFixed(2)).join(' ')}):`);
    for (const k of SENDERS) {
      const cpu = med(k, (r) => r.senders + r.postgres + r.sink);
      console.log(
        `${k} sender${k > 1 ? 's' : ' '}: ${med(k, (r) => r.rate).toFixed(0)} messages/s, ${(med(k, (r) => r.rate) / one).toFixed(2)}x one sender; ` +
          `CPU s per 1,000 messages: senders ${med(k, (r) => r.senders).toFixed(2)}, PostgreSQL ${med(k, (r) => r.postgres).toFixed(2)}, sink ${med(k, (r) => r.sink).toFixed(2)} ` +
          `(together ${cpu.toFixed(2)}: ${cores} cores cap them at ${((cores / cpu) * 1000).toFixed(0)} messages/s); machine ${(med(k, (r) => r.busy) * 100).toFixed(0)}% busy; ` +
          `senders waiting for a core ${(med(k, (r) => r.starved) * 100).toFixed(0)}% of the time`,
      );
    }
    console.log(`3 senders against 1: ${(med(3, (r) => r.rate) / one).toFixed(2)}x (target 2x; on a ${cores}-core machine the senders, the sink and PostgreSQL share the cores)`);
  } finally {
    await raw.end().catch(() => undefined);
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = { name: 'send-scale', description: 'several senders on one PostgreSQL list (1, 2, 3 processes) to a loopback SMTP sink', run };
