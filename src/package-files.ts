// Where the package's own files are (templates, the migrations), whichever way the code runs: the sources in
// src/ through tsx, tsc's output in dist/, or the bundle in dist/bundle/ (scripts/build.js), whose modules
// are merged into chunks and so cannot find their files beside themselves.
import { basename, dirname, join } from 'node:path';

const here = import.meta.dirname;

/** src/ or dist/: the folder the modules' own files (the migrations' .sql) sit under, by module path. */
export const CODE_DIR = basename(here) === 'bundle' ? dirname(here) : here;

/** The package: package.json, templates/, data/. */
export const PACKAGE_ROOT = dirname(CODE_DIR);

/** A file or folder that sits beside a module of src/ (e.g. `store/sqlite/migrations`). */
export function codeFile(path: string): string {
  return join(CODE_DIR, path);
}
