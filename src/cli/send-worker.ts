// The worker thread `send` and `corrections` run in (src/cli/worker.ts): the CLI with an Io that relays to the main thread.
import { workerData } from 'node:worker_threads';
import { run } from './program.ts';
import { reportDone, workerIo } from './worker.ts';

reportDone(await run((workerData as { argv: string[] }).argv, workerIo()));
