// The process entry: real streams and environment in, exit code out.
import { run } from './program.ts';

// `event-digest status | head`: a reader that stops reading is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const code = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  isTty: !!process.stdout.isTTY && !process.env.NO_COLOR,
});
process.exitCode = code;
