// Benchmarks `send --dry-run` over 1,000,000 subscribers (BENCH_DRYRUN_N): peak memory of the
// process doing it, which must stay under 250 MB (the list is streamed from SQLite, never loaded).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench } from './run.ts';
import { buildCli, ROOT } from './shared.ts';
import { fixedClock } from '../src/clock.ts';
import { openStore } from '../src/store/open.ts';

const N = Number(process.env.BENCH_DRYRUN_N ?? 1_000_000);
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney'];
const KINDS = [[], ['webinar'], ['action', 'conference'], ['conference']];

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ed-bench-dry-'));
  try {
    const clock = fixedClock(new Date('2016-11-27T13:00:00Z'));
    const store = await openStore({ db: join(dir, 'var/event-digest.db'), clock, defaultTimezone: 'America/New_York', secret: 'a bench secret of enough length' });
    const t0 = performance.now();
    // Through the store, a transaction per 10,000 (the results of a million adds at once would be a lot of memory).
    for (let from = 1; from <= N; from += 10_000) {
      const rows = Array.from({ length: Math.min(10_000, N - from + 1) }, (_, k) => {
        const i = from + k;
        return { email: `reader${i}@example.org`, name: i % 3 === 0 ? null : `Reader ${i}`, timezone: ZONES[i % ZONES.length], kinds: KINDS[i % KINDS.length] };
      });
      await store.subscribers.addAll(rows, { source: 'bench' });
    }
    await store.close();
    process.stdout.write(`${N.toLocaleString('en')} active subscribers written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${ZONES.length} zones × ${KINDS.length} kind choices)\n`);
    writeFileSync(join(dir, 'event-digest.config.yaml'), `events: [${join(ROOT, 'data/events.yaml')}]\nsecret: a bench secret of enough length\n`);

    // The CLI as users run it (the bin, running the build in dist/) in a child of its own, so its peak RSS is the
    // dry run's alone; the preload only reports it at exit.
    buildCli();
    const child = spawn(process.execPath, ['--import', join(ROOT, 'bench/peak-rss.mjs'), join(ROOT, 'bin/event-digest.js'), 'send', '--as-of', '2016-11-28', '--dry-run'], {
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
      `dry run exit ${code}: ${seconds.toFixed(1)} s (${Math.round(N / seconds).toLocaleString('en')} messages/s built), peak RSS ${report.maxRssMB.toFixed(0)} MB (limit 250 MB: ${report.maxRssMB < 250 ? 'under' : 'OVER'})\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = { name: 'dryrun', description: `send --dry-run over ${N.toLocaleString('en')} subscribers: time and peak memory`, run };
