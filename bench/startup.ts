// Benchmarks start-up as whole processes: `--help` and `select` on the seed calendar, through the bin (the
// bundle in dist/bundle/) against tsc's output unbundled (dist/cli/main.js) and the TypeScript sources through
// tsx (the first path), in the same run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Bench } from './run.ts';
import { buildCli, median, ROOT } from './shared.ts';

const RUNS = 5;
const TARGET_MS = 300;
const COMMANDS = [
  { label: '--help', args: ['--help'] },
  { label: 'select (seed)', args: ['select', '--as-of', '2016-11-28'] },
];
const WAYS = [
  { label: 'bin (dist/bundle/)', argv: [join(ROOT, 'bin/event-digest.js')] },
  { label: 'unbundled (dist/cli/)', argv: [join(ROOT, 'dist/cli/main.js')] },
  { label: 'tsx (src/, baseline)', argv: ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')] },
];

/** One whole process, spawn to exit, in ms; its stdout for the check that both ways print the same. */
function timed(argv: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DIGEST_NOW: '2016-11-27T13:00:00Z' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}

async function run(): Promise<void> {
  buildCli();
  const floor = Array.from({ length: RUNS }, () => timed(['-e', '0']).ms);
  console.log(`node itself (node -e 0): median ${median(floor).toFixed(0)} ms of ${RUNS}`);
  for (const c of COMMANDS) {
    const times = WAYS.map(() => [] as number[]);
    const outs = WAYS.map((w) => timed([...w.argv, ...c.args]).out); // one untimed run each warms the file cache
    if (outs.some((o) => o !== outs[0])) throw new Error(`${c.label}: the built CLI and the sources print different output`);
    // Interleaved, so both ways see the same load on a shared machine.
    for (let i = 0; i < RUNS; i++) WAYS.forEach((w, k) => times[k].push(timed([...w.argv, ...c.args]).ms));
    const [built, unbundled, tsx] = times.map(median);
    for (const [k, w] of WAYS.entries()) {
      console.log(`${c.label.padEnd(14)} ${w.label.padEnd(22)} median ${median(times[k]).toFixed(0).padStart(5)} ms  (runs: ${times[k].map((t) => t.toFixed(0)).join(', ')})`);
    }
    const verdict = built < TARGET_MS ? 'PASS' : 'MISS';
    console.log(`${c.label.padEnd(14)} ${verdict}: bin ${built.toFixed(0)} ms (target ${TARGET_MS} ms), unbundled ÷ bin ${(unbundled / built).toFixed(2)}, ${(tsx / built).toFixed(1)}× faster than tsx`);
  }
}

export const bench: Bench = { name: 'startup', description: `whole-process start-up, median of ${RUNS}: the built CLI against tsx`, run };
