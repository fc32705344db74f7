#!/usr/bin/env node
// `npm test`: type-checks, runs every test once under TZ=UTC, then the calendar and event tests
// again under two other process zones, because the machine's own zone must never change a result,
// then the store-touching tests again on PostgreSQL (DIGEST_TEST_ENGINE=postgres): the first pass runs
// them on SQLite, so each runs on both engines.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? testFiles(p) : name.endsWith('.test.ts') ? [p] : [];
    })
    .sort();
}

function step(label, cmd, args, env = {}) {
  process.stdout.write(`\n== ${label}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    process.stdout.write(`\n== FAILED: ${label} (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}

/**
 * A test file touches the store when it, or a file of tests/ it imports, goes through a helper that opens one
 * (or the engines'), the store itself, or the CLI. Those that import the engines themselves (engineTest,
 * ENGINES, POSTGRES, SQLITE) already chose their engines in the first pass and are not run again.
 */
const STORE_USE = /helpers\/(web-env|send-env|schedule-env|cli-process|serve-process|sqlite-file|engines)\.ts|src\/store\/|src\/cli\/program\.ts|bin\/event-digest/;
const OWN_ENGINES = /\b(engineTest|ENGINES|POSTGRES|SQLITE)\b/;
/** Store-touching by that rule but with nothing for PostgreSQL to run, and why. */
const NOT_ON_POSTGRES = {
  'tests/store/boundaries.test.ts': 'reads the source, opens no store',
  'tests/store/migrate.test.ts': "SQLite's migration runner on its file (PostgreSQL's: tests/store/migrate-postgres.test.ts)",
  'tests/subscribers/input.test.ts': 'checks input values only (it takes KINDS from the helpers)',
  'tests/cli/built.test.ts': 'the compiled bundle loads and runs; the commands it runs are the sources the other files test on both',
};
function usesStore(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (STORE_USE.test(text)) return true;
  const local = [...text.matchAll(/from '(\.{1,2}\/[^']+\.ts)'/g)].map((m) => join(dirname(file), m[1])).filter((f) => f.startsWith('tests'));
  return local.some((f) => usesStore(f, seen));
}
function onPostgres(file) {
  return usesStore(file) && !OWN_ENGINES.test(readFileSync(file, 'utf8')) && !(file.split('\\').join('/') in NOT_ON_POSTGRES);
}

/** PostgreSQL's binaries, the pass's throwaway cluster (tests/helpers/postgres.ts, loaded through tsx), or why not. */
async function postgresCluster() {
  const { register } = await import('tsx/esm/api');
  register();
  const { postgresBin, pgCluster } = await import('../tests/helpers/postgres.ts');
  if (!postgresBin()) return undefined;
  return pgCluster();
}

const only = process.argv.slice(2);
const all = only.length > 0 ? only : testFiles('tests');
const zoneSensitive = all.filter((f) => /tests[\\/](calendar|events|render)[\\/]/.test(f));

const storeFiles = all.filter(onPostgres);
// One throwaway cluster for every test process of the run (a cluster per file would cost each an initdb):
// each test folder gets a database of its own in it. Files that stop their server start their own.
const cluster = all.some((f) => usesStore(f)) ? await postgresCluster() : undefined;
const shared = cluster ? { DIGEST_TEST_PG_URL: cluster.adminUrl } : {};

if (only.length === 0) step('typecheck (tsc --noEmit)', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);
step(`tests, TZ=UTC (${all.length} files)`, process.execPath, ['--import', 'tsx', '--test', ...all], { TZ: 'UTC', DIGEST_TEST_ENGINE: 'sqlite', ...shared });
for (const tz of ['America/Los_Angeles', 'Pacific/Auckland']) {
  if (zoneSensitive.length > 0) {
    step(`calendar, event and render tests, TZ=${tz}`, process.execPath, ['--import', 'tsx', '--test', ...zoneSensitive], { TZ: tz });
  }
}

if (storeFiles.length > 0) {
  if (!cluster && process.env.CI) {
    process.stdout.write('\n== FAILED: store tests on PostgreSQL: CI is set and no PostgreSQL binaries were found (/usr/lib/postgresql/N/bin; apt-get install postgresql)\n');
    process.exit(1);
  }
  if (!cluster) {
    process.stdout.write(`\n== notice: store tests on PostgreSQL SKIPPED (${storeFiles.length} files): no PostgreSQL binaries (/usr/lib/postgresql/N/bin); apt-get install postgresql to run them\n`);
  } else {
    step(`store tests on PostgreSQL, TZ=UTC (${storeFiles.length} files)`, process.execPath, ['--import', 'tsx', '--import', './tests/helpers/no-sqlite.ts', '--test', ...storeFiles], {
      TZ: 'UTC',
      DIGEST_TEST_ENGINE: 'postgres',
      ...shared,
    });
  }
}
