// Benchmarks `send --dry-run` over 1,000,000 subscribers (BENCH_DRYRUN_N): peak memory of the
// process doing it, which must stay under 300 MB (the list is streamed from SQLite, never loaded).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench } from './run.ts';
import { fixedClock } from '../src/clock.ts';
import { openStore } from '../src/store/store.ts';

const N = Number(process.env.BENCH_DRYRUN_N ?? 1_000_000);
const ROOT = new URL('..', import.meta.url).pathname;
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney'];
const KINDS = ['[]', '["webinar"]', '["action","conference"]', '["conference"]'];

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ed-bench-dry-'));
  try {
    const clock = fixedClock(new Date('2016-11-27T13:00:00Z'));
    const store = openStore({ path: join(dir, 'var/event-digest.db'), clock, defaultTimezone: 'America/New_York', secret: 'a bench secret of enough length' });
    const t0 = performance.now();
    const insert = store.db.prepare(
      `INSERT INTO subscribers (email, email_key, name, timezone, kinds, status, source, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'active', 'bench', '2016-11-01T00:00:00Z', '2016-11-01T00:00:00Z')`,
    );
    store.transaction(() => {
      for (let i = 1; i <= N; i++) insert.run(`reader${i}@example.org`, `reader${i}@example.org`, i % 3 === 0 ? null : `Reader ${i}`, ZONES[i % ZONES.length], KINDS[i % KINDS.length]);
    });
    store.close();
    process.stdout.write(`${N.toLocaleString('en')} active subscribers written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${ZONES.length} zones × ${KINDS.length} kind choices)\n`);
    writeFileSync(join(dir, 'event-digest.config.yaml'), `events: [${join(ROOT, 'data/events.yaml')}]\nsecret: a bench secret of enough length\n`);

    // The CLI in a child of its own, so its peak RSS is the dry run's alone.
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'bench/dry-run-child.ts'), 'send', '--as-of', '2016-11-28', '--dry-run'], {
      cwd: dir,
      env: { ...process.env, DIGEST_NOW: '2016-11-27T13:00:00Z' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const t1 = performance.now();
    const code = await new Promise<number | null>((ok) => child.on('exit', ok));
    const seconds = (performance.now() - t1) / 1000;
    const report = JSON.parse(out.trim().split("\n").pop()!) as { maxRssMB: number };
    process.stdout.write(`memory at the end: ${out.trim().split("\n").pop()}\n`);
    process.stdout.write(`${out.trim().split('\n').slice(0, -1).join('\n')}\n`);
    process.stdout.write(
      `dry run exit ${code}: ${seconds.toFixed(1)} s (${Math.round(N / seconds).toLocaleString('en')} messages/s built), peak RSS ${report.maxRssMB.toFixed(0)} MB (limit 300 MB: ${report.maxRssMB < 300 ? 'under' : 'OVER'})\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = { name: 'dryrun', description: `send --dry-run over ${N.toLocaleString('en')} subscribers: time and peak memory`, run };
