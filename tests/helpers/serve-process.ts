// `event-digest serve` in its own process, as a user runs it: a free port, the "serving" line awaited (bounded);
// on the folder's store of TEST_ENGINE (DIGEST_DB on the PostgreSQL pass; `env` may name another).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { engineEnv } from './engines.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** The URL from the "serving" line, undefined if it never came. */
  url: string | undefined;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
}

/** `umask`: run under that umask (through /bin/sh), as a login shell would. */
export async function startServe(cwd: string, env: Record<string, string>, opts: { umask?: string } = {}): Promise<ServeProcess> {
  const bin = join(ROOT, 'bin/event-digest.js');
  const fullEnv = { ...process.env, ...engineEnv(cwd), ...env };
  const child = opts.umask
    ? spawn('/bin/sh', ['-c', `umask ${opts.umask} && exec "${process.execPath}" "${bin}" serve --port 0`], { cwd, env: fullEnv })
    : spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd, env: fullEnv });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  // Up to three minutes: a busy machine starts processes slowly.
  for (let i = 0; i < 3600 && !/serving http/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
  return { child, url: /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], out: () => out, err: () => err, exited };
}
