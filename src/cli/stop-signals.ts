// SIGINT and SIGTERM during a send: the messages in flight finish and are recorded, then the run stops.
import { isMainThread } from 'node:worker_threads';
import type { Io } from './io.ts';
import { onRelayedSignal } from './worker.ts';

/** Runs `work` with a stopRequested that names the signal once one came; the handlers are gone afterwards. */
export async function stoppableBySignals<T>(io: Io, command: string, work: (stopRequested: () => string | undefined) => Promise<T>): Promise<T> {
  let signal: string | undefined;
  const onSignal = (s: string) => () => {
    signal = s;
    io.err(`${s}: finishing the messages in flight, then stopping; run ${command} again to finish`);
  };
  const handlers: Record<string, () => void> = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  // In a worker (src/cli/worker.ts) the process's signals reach the main thread, which relays them here.
  const off = isMainThread ? undefined : onRelayedSignal((s) => handlers[s]?.());
  if (isMainThread) for (const [s, h] of Object.entries(handlers)) process.once(s, h);
  try {
    return await work(() => (signal ? `stopped by ${signal}` : undefined));
  } finally {
    off?.();
    if (isMainThread) for (const [s, h] of Object.entries(handlers)) process.removeListener(s, h);
  }
}
