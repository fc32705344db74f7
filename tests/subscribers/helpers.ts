// Shared by the subscriber tests: a temp folder per test, a store on a real SQLite file in it (or a PostgreSQL database), the CLI in-process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock, type Clock } from '../../src/clock.ts';
import { run } from '../../src/cli/program.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { engineEnv, TEST_ENGINE, type Engine } from '../helpers/engines.ts';

export const KINDS = ['action', 'webinar', 'conference'];
export const NOW = '2016-11-28T12:00:00.000Z';

export function tempDir(prefix = 'ed-subs-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A clock the test can move: `clock.set('2016-12-01T00:00:00Z')`. */
export function movableClock(at = NOW): Clock & { set(iso: string): void } {
  let current = new Date(at);
  return { now: () => new Date(current.getTime()), set: (iso) => (current = new Date(iso)) };
}

/** A store for the test's folder: `engine`'s (default TEST_ENGINE) database for the folder, the same on each call (SQLite: var/test.db under dir). */
export async function storeIn(dir: string, opts: { clock?: Clock; secret?: string; engine?: Engine } = {}): Promise<Store> {
  const db = await (opts.engine ?? TEST_ENGINE).db(dir, 'var/test.db');
  return openStore({ db, clock: opts.clock ?? fixedClock(new Date(NOW)), defaultTimezone: 'America/New_York', secret: opts.secret });
}

export function writeFile(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Runs the CLI in `cwd` with a fixed clock on the folder's store: the default `db` (var/event-digest.db under cwd), or on the PostgreSQL pass the folder's database. */
export async function cli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { cwd, env: { DIGEST_NOW: NOW, ...engineEnv(cwd), ...env }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export async function listJson(cwd: string) {
  const r = await cli(cwd, ['subscribers', 'list', '--json']);
  if (r.code !== 0) throw new Error(`list --json failed: ${r.err}`);
  return JSON.parse(r.out) as { email: string; name: string | null; timezone: string; kinds: string[]; status: string; source: string; location: { name: string; lat: number; lon: number } | null; radius: number | null }[];
}
