// Runs one CLI command in this process, then prints its peak RSS as the last line (for bench/dry-run.ts).
import { run } from '../src/cli/program.ts';

const code = await run(process.argv.slice(2), { cwd: process.cwd(), env: process.env, out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`), isTty: false });
const mem = process.memoryUsage();
const mb = (n: number) => Math.round(n / 1048576);
process.stdout.write(`${JSON.stringify({ code, maxRssMB: process.resourceUsage().maxRSS / 1024, endRssMB: mb(mem.rss), heapUsedMB: mb(mem.heapUsed), heapTotalMB: mb(mem.heapTotal), externalMB: mb(mem.external), arrayBuffersMB: mb(mem.arrayBuffers) })}\n`);
process.exitCode = code;
