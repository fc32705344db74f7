// Preloaded (`node --import`) into a CLI process by bench/dry-run.ts: prints its peak RSS and heap as a last line of JSON.
// Preloads run in worker threads too (a send runs in one): a worker prints its own heap as it ends, a line before.
import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

process.on('exit', (code) => {
  const mem = process.memoryUsage();
  const mb = (n) => Math.round(n / 1048576);
  const heap = { heapUsedMB: mb(mem.heapUsed), heapTotalMB: mb(mem.heapTotal), externalMB: mb(mem.external), arrayBuffersMB: mb(mem.arrayBuffers) };
  const line = isMainThread ? { code, maxRssMB: process.resourceUsage().maxRSS / 1024, endRssMB: mb(mem.rss), ...heap } : { thread: 'worker', code, ...heap };
  writeSync(1, `${JSON.stringify(line)}\n`);
});
