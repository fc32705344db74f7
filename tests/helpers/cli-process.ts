// The installed bin run as its own process (what cron, systemd or a second terminal runs), with a fixed clock, on
// the folder's store of TEST_ENGINE (DIGEST_DB on the PostgreSQL pass; `env` may name another).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { engineEnv } from './engines.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export function cliProcess(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/event-digest.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...engineEnv(cwd), ...env } });
  return { code: r.status, out: r.stdout.trimEnd(), err: r.stderr.trimEnd() };
}
