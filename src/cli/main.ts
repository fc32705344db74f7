// The process entry: real streams and environment in, exit code out.
import { run } from './program.ts';
import { runInWorker, workerEntryFor } from './worker.ts';

// `event-digest status | head`: a reader that stops reading is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const argv = process.argv.slice(2);
const io = {
  cwd: process.cwd(),
  env: process.env,
  out: (s: string) => process.stdout.write(s + '\n'),
  err: (s: string) => process.stderr.write(s + '\n'),
  isTty: !!process.stdout.isTTY && !process.env.NO_COLOR,
};
// A send builds a message per reader: it runs in a worker whose heap is bounded (src/cli/worker.ts).
const entry = workerEntryFor(argv, import.meta.url);
process.exitCode = entry ? await runInWorker(entry, argv, io) : await run(argv, io);
