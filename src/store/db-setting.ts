// Reads config `db` into a dialect and its target, without loading any driver (`status` and `check --verbose` show it).
import { resolve } from 'node:path';
import { DigestError } from '../errors.ts';

/** The dialect and its target, from config `db`; a bad value is a one-line CONFIG error. */
export function parseDbSetting(db: string, cwd: string = process.cwd()): { dialect: 'sqlite'; path: string } {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    // The URL is not repeated: it may hold a password.
    throw new DigestError('CONFIG', 'db: PostgreSQL is not supported yet; use a SQLite file (a path, or sqlite:PATH)');
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(db);
  if (scheme && scheme[1].toLowerCase() !== 'sqlite') {
    throw new DigestError('CONFIG', `db: unknown database URL scheme '${scheme[1]}:'; use a SQLite file (a path, or sqlite:PATH)`);
  }
  // sqlite:PATH, and the URL form sqlite:///absolute/path too.
  const path = db.replace(/^sqlite:(\/\/)?/i, '');
  if (path === '') throw new DigestError('CONFIG', "db: 'sqlite:' names no file; use sqlite:PATH");
  return { dialect: 'sqlite', path: path === ':memory:' ? path : resolve(cwd, path) };
}
