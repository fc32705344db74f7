#!/usr/bin/env node
// The package's bin: runs the compiled CLI's bundle in dist/bundle/ (built by `npm ci` through `prepare`, or
// `npm run build`).
// In a source checkout whose build is missing or older than a file under src/, it runs the TypeScript
// sources through tsx instead, so an edit takes effect without a rebuild.
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';

// Node 22.1+ keeps compiled code between runs (in the OS temp folder); Node 20 has no such cache.
nodeModule.enableCompileCache?.();

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist/.built');
const src = join(root, 'src');

function builtIsCurrent() {
  if (!existsSync(stamp)) return false;
  if (!existsSync(src)) return true; // an installed package: dist/ is all there is
  const builtAt = statSync(stamp).mtimeMs;
  return readdirSync(src, { recursive: true }).every((f) => statSync(join(src, f)).mtimeMs <= builtAt);
}

if (builtIsCurrent()) {
  await import('../dist/bundle/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
