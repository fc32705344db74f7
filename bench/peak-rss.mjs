// Preloaded (`node --import`) into a CLI process by bench/dry-run.ts: prints its peak RSS and heap as a last line of JSON.
import { writeSync } from 'node:fs';

process.on('exit', (code) => {
  const mem = process.memoryUsage();
  const mb = (n) => Math.round(n / 1048576);
  writeSync(1, `${JSON.stringify({ code, maxRssMB: process.resourceUsage().maxRSS / 1024, endRssMB: mb(mem.rss), heapUsedMB: mb(mem.heapUsed), heapTotalMB: mb(mem.heapTotal), externalMB: mb(mem.external), arrayBuffersMB: mb(mem.arrayBuffers) })}\n`);
});
