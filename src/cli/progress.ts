// Send progress: a bar with rate and ETA on a terminal (cli-progress), a plain line every few seconds otherwise.
import cliProgress from 'cli-progress';
import type { RunCounts } from '../mail/sender.ts';
import type { Io } from './io.ts';

export interface Progress {
  update(done: number, total: number, counts: RunCounts): void;
  stop(): void;
}

export function progressReporter(io: Io, everyMs = 5_000, now: () => number = Date.now): Progress {
  if (io.progress) return io.progress();
  if (io.isTty) {
    const bar = new cliProgress.SingleBar(
      { format: 'sending [{bar}] {value}/{total} · {rate}/s · ETA {eta_formatted} · failed {failed} deferred {deferred}', hideCursor: true, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const t0 = now();
    return {
      update(done, total, c) {
        if (!started) bar.start(total, 0, { rate: '0', failed: 0, deferred: 0 }), (started = true);
        bar.update(done, { rate: (done / Math.max(0.001, (now() - t0) / 1000)).toFixed(0), failed: c.failed, deferred: c.deferred });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = now();
  const t0 = last;
  return {
    update(done, total, c) {
      const t = now();
      if (t - last < everyMs && done < total) return;
      last = t;
      const rate = done / Math.max(0.001, (t - t0) / 1000);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      io.err(`progress: ${done}/${total} (${rate.toFixed(0)}/s, about ${eta}s left): sent ${c.sent}, skipped ${c.skipped}, failed ${c.failed}, deferred ${c.deferred}`);
    },
    stop() {},
  };
}
