#!/usr/bin/env node
// `npm run build` (and npm's `prepare`, so `npm ci` builds): src/ compiled by tsc into dist/ (or --out DIR),
// the files beside the sources that are not TypeScript (the migrations' .sql) copied with them, and a stamp
// that tells bin/event-digest.js the build is complete and how old it is.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const out = at > 0 ? resolve(process.argv[at + 1]) : join(root, 'dist');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

// An install without dev dependencies has no TypeScript: the bin then runs the sources through tsx.
if (!existsSync(tsc)) {
  process.stderr.write('event-digest build: TypeScript is not installed; skipped (the bin will run the sources through tsx)\n');
  process.exit(0);
}
rmSync(out, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
cpSync(join(root, 'src'), out, { recursive: true, filter: (p) => statSync(p).isDirectory() || !p.endsWith('.ts') });
writeFileSync(join(out, '.built'), `${new Date().toISOString()}\n`);
