#!/usr/bin/env node
// `npm run build` (and npm's `prepare`, so `npm ci` builds): src/ compiled by tsc into dist/ (or --out DIR),
// the files beside the sources that are not TypeScript (the migrations' .sql) copied with them, dist/bundle/
// (what the bin runs: see BUNDLED below), and a stamp that tells bin/event-digest.js the build is complete
// and how old it is.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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
// dist/ says it holds ES modules whatever folder --out names: the bundler reads it to give a CommonJS package's
// default import Node's meaning (module.exports), and Node to run dist/ anywhere.
writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');

/**
 * The packages every command loads as it starts, bundled with our modules: on Node 20 (no compile cache)
 * resolving and loading their files one by one was a third of `select`'s start-up (zod alone is 226 files).
 * The rest (mjml, the web stack, nodemailer, the drivers, the gazetteer) stay in node_modules, loaded by
 * the commands that use them; better-sqlite3 and pg have native or optional parts a bundle cannot hold.
 */
const BUNDLED = ['commander', 'zod', 'yaml', 'luxon', 'rrule', 'ical.js', 'windows-iana'];

/**
 * dist/bundle/: dist/cli/main.js (and send-worker.js) and what they import, split into chunks at each dynamic import (so a command
 * still loads only its own code), with `inputs.json` naming the modules each chunk holds (tests/cli/built.test.ts
 * reads it to tell which packages a command loaded).
 */
async function bundle(dist) {
  const { build } = await import('esbuild');
  const dir = join(dist, 'bundle');
  const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
  const result = await build({
    // The CLI and the worker thread sends run in (src/cli/worker.ts), which the CLI finds beside itself.
    entryPoints: [join(dist, 'cli/main.js'), join(dist, 'cli/send-worker.js')],
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    // Packages from this checkout's node_modules, also when --out puts dist/ somewhere else.
    nodePaths: [join(root, 'node_modules')],
    // Resolve packages as Node does (its `main`; no `module` field or condition), so a default import of a
    // CommonJS package such as rrule gets the same object bundled as unbundled.
    mainFields: ['main'],
    conditions: [],
    logLevel: 'warning',
    // The bundled CommonJS packages (commander, yaml) require Node's own modules; ESM has no `require`.
    banner: { js: "import { createRequire as __edRequire } from 'node:module'; const require = __edRequire(import.meta.url);" },
    plugins: [
      {
        name: 'event-digest-externals',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('node:') || !BUNDLED.includes(packageOf(a.path)) ? { external: true } : undefined));
        },
      },
    ],
  });
  const inputs = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, o]) => [relative(dir, file), Object.keys(o.inputs)]),
  );
  writeFileSync(join(dir, 'inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
}

await bundle(out);
writeFileSync(join(out, '.built'), `${new Date().toISOString()}\n`);
