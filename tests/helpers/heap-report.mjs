// `node --import ./heap-report.mjs`: appends, as each thread of the process ends, its V8 young generation's size
// to the file named by HEAP_REPORT (preloads run in worker threads too), so a test can see a worker's bounds.
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

if (process.env.HEAP_REPORT) {
  process.on('exit', () => {
    const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    appendFileSync(process.env.HEAP_REPORT, `${JSON.stringify({ mainThread: isMainThread, newSpaceMB: (newSpace?.space_size ?? 0) / 1048576 })}\n`);
  });
}
