#!/usr/bin/env node
// `npm test`: type-checks, runs every test once under TZ=UTC, then the calendar and event tests
// again under two other process zones, because the machine's own zone must never change a result.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

const only = process.argv.slice(2);
const all = only.length > 0 ? only : testFiles('tests');
const zoneSensitive = all.filter((f) => /tests[\\/](calendar|events|render)[\\/]/.test(f));

if (only.length === 0) step('typecheck (tsc --noEmit)', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);
step(`tests, TZ=UTC (${all.length} files)`, process.execPath, ['--import', 'tsx', '--test', ...all], { TZ: 'UTC' });
for (const tz of ['America/Los_Angeles', 'Pacific/Auckland']) {
  if (zoneSensitive.length > 0) {
    step(`calendar, event and render tests, TZ=${tz}`, process.execPath, ['--import', 'tsx', '--test', ...zoneSensitive], { TZ: tz });
  }
}
