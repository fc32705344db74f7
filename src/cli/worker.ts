// Sends run in a worker thread of the CLI process, so the V8 heap they churn through can be bounded.
//
// A send builds a message per reader: garbage by the gigabyte. V8 sizes a thread's young generation as
// it pleases (Node 24 lets it grow to 128 MB, Node 20 to 32 MB) and that size can only be chosen when a
// heap is made: by Node's command line, or for a worker by `resourceLimits`. So `send` and `corrections`
// run `run()` in a worker with a bounded young generation, and the main thread only relays: the worker's
// lines to stdout and stderr, its progress to the bar, SIGINT and SIGTERM to the worker (a stop between
// messages), and its exit code. One process, as before: a sender killed by SIGKILL leaves nothing running.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { RunCounts } from '../mail/sender.ts';
import type { Io } from './io.ts';
import type { Progress } from './progress.ts';

/** The commands that run in a worker: the ones that build a message per reader. */
const WORKER_COMMANDS = new Set(['send', 'corrections']);
/**
 * The worker's young generation (V8: two semi-spaces and a third for large objects), in MB. Measured on the
 * 1,000,000-reader dry run (docs/speed.md): in one sitting 16 peaked lower than 24 on Node 24 (247–255 against
 * 251–282 MB; later runs of the final build 283–326) and the same on Node 20 (206–214 against 213–215), at the
 * same speed; without a bound Node 24 grows it to 192.
 */
export const YOUNG_GENERATION_MB = 16;
/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent (its default
 * grows it up to fourfold when collection is cheap, which for a send is garbage piling up between full
 * collections). V8 reads this flag at each collection, so setting it at run time takes effect. Set by
 * `boundHeapGrowth` once the calendar is loaded, when the message per reader begins: set before the worker
 * starts, it cost a 10,000-event calendar's send 0.2–0.3 s while loading (more full collections), and the
 * 1,000,000-reader dry run peaks the same either way since the dry run builds into one buffer (docs/speed.md).
 */
const HEAP_GROWING_PERCENT = 50;

/** What a worker sends the main thread. */
type FromWorker =
  | { t: 'out' | 'err'; s: string }
  | { t: 'progress'; done: number; total: number; counts: RunCounts }
  | { t: 'progress-stop' }
  | { t: 'unhandled-signal'; signal: NodeJS.Signals }
  | { t: 'done'; code: number };
/** What the main thread sends a worker. */
type ToWorker = { t: 'signal'; signal: NodeJS.Signals };

interface WorkerData {
  argv: string[];
  isTty: boolean;
}

/**
 * In a send's worker, from the first message on: the old generation grows by at most HEAP_GROWING_PERCENT between
 * full collections. The main thread (the sources through tsx, `schedule`, `serve`) keeps V8's own growth.
 */
export function boundHeapGrowth(): void {
  if (!isMainThread) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** The command an argument list names: its first word that is not an option or the value of -c/--config. */
export function commandOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c' || a === '--config') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * The worker's entry beside this module, when this command runs in one: only in the build (dist/), where the
 * entry is plain JavaScript; the sources run through tsx keep every command in the main thread.
 */
export function workerEntryFor(argv: string[], moduleUrl: string): URL | undefined {
  const command = commandOf(argv);
  if (command === undefined || !WORKER_COMMANDS.has(command)) return undefined;
  const entry = new URL('./send-worker.js', moduleUrl);
  return existsSync(fileURLToPath(entry)) ? entry : undefined;
}

/** Main thread: runs the CLI for `argv` in a worker at `entry`, relaying its output, progress and signals; its exit code. */
export async function runInWorker(entry: URL, argv: string[], io: Io): Promise<number> {
  // Loaded here, not with this module: the main thread imports it for every command.
  const { progressReporter } = await import('./progress.ts');
  const worker = new Worker(entry, {
    workerData: { argv, isTty: io.isTty } satisfies WorkerData,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    stdin: false,
  });
  let progress: Progress | undefined;
  let code: number | undefined;
  // Each signal once, as in the main thread: the first asks the worker to stop between messages, a second
  // one (the handler gone) kills the process as Node does by default.
  const forward = (signal: NodeJS.Signals) => () => worker.postMessage({ t: 'signal', signal } satisfies ToWorker);
  const handlers = { SIGINT: forward('SIGINT'), SIGTERM: forward('SIGTERM') } as const;
  for (const [s, h] of Object.entries(handlers)) process.once(s, h);
  worker.on('message', (m: FromWorker) => {
    if (m.t === 'out') io.out(m.s);
    else if (m.t === 'err') io.err(m.s);
    else if (m.t === 'progress') (progress ??= progressReporter(io)).update(m.done, m.total, m.counts);
    else if (m.t === 'progress-stop') (progress?.stop(), (progress = undefined));
    else if (m.t === 'done') code = m.code;
    // The worker was not in a stoppable part (loading, rendering): the signal does what it does by default.
    else if (m.t === 'unhandled-signal') process.kill(process.pid, m.signal);
  });
  return new Promise((resolve) => {
    let failed: Error | undefined;
    worker.on('error', (e) => (failed = e));
    worker.on('exit', (exitCode) => {
      for (const [s, h] of Object.entries(handlers)) process.removeListener(s, h);
      progress?.stop();
      if (failed) io.err(`event-digest: unexpected error: ${failed.message}`);
      resolve(code ?? (exitCode !== 0 ? exitCode : 1));
    });
  });
}

/** In a worker: the Io that relays to the main thread, and whether the terminal is a TTY there. */
export function workerIo(): Io {
  const port = parentPort!;
  const data = workerData as WorkerData;
  const post = (m: FromWorker) => port.postMessage(m);
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (s) => post({ t: 'out', s }),
    err: (s) => post({ t: 'err', s }),
    isTty: data.isTty,
    progress: () => {
      // At most ten updates a second cross to the main thread (a send calls this for every message); the last always.
      let last = 0;
      return {
        update(done, total, counts) {
          const t = performance.now();
          if (t - last < 100 && done < total) return;
          last = t;
          post({ t: 'progress', done, total, counts: { ...counts } });
        },
        stop: () => post({ t: 'progress-stop' }),
      };
    },
  };
}

/** In a worker: the exit code to the main thread. */
export function reportDone(code: number): void {
  parentPort!.postMessage({ t: 'done', code } satisfies FromWorker);
}

/** In a worker: SIGINT and SIGTERM as the main thread relays them; none of the listeners taking one lets it act by default. */
export function onRelayedSignal(listener: (signal: NodeJS.Signals) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const listeners = new Set<(signal: NodeJS.Signals) => void>();
parentPort?.on('message', (m: ToWorker) => {
  if (m.t !== 'signal') return;
  if (listeners.size === 0) parentPort!.postMessage({ t: 'unhandled-signal', signal: m.signal } satisfies FromWorker);
  for (const l of [...listeners]) l(m.signal);
});
// The main thread's relay must not keep a finished worker alive.
parentPort?.unref();
