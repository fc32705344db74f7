// Reads config `db` into a dialect and its target, without loading any driver (`status` and `check --verbose` show it).
import { resolve } from 'node:path';
import { DigestError } from '../errors.ts';

export type DbSetting =
  | { dialect: 'sqlite'; path: string; label: string }
  /** `label`: the server and database without the password, for messages and `status`. */
  | { dialect: 'postgres'; url: string; host: string; label: string };

const HINT = 'use a SQLite file (a path, or sqlite:PATH) or postgres://user:pass@host:port/name';

/** The dialect and its target, from config `db`; a bad value is a one-line CONFIG error that never repeats a password. */
export function parseDbSetting(db: string, cwd: string = process.cwd()): DbSetting {
  if (/^postgres(ql)?:\/\//i.test(db)) return postgresSetting(db);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(db);
  if (scheme && scheme[1].toLowerCase() !== 'sqlite') {
    throw new DigestError('CONFIG', `db: unknown database URL scheme '${scheme[1]}:'; ${HINT}`);
  }
  // sqlite:PATH, and the URL form sqlite:///absolute/path too.
  const path = db.replace(/^sqlite:(\/\/)?/i, '');
  if (path === '') throw new DigestError('CONFIG', "db: 'sqlite:' names no file; use sqlite:PATH");
  const file = path === ':memory:' ? path : resolve(cwd, path);
  return { dialect: 'sqlite', path: file, label: file };
}

function postgresSetting(db: string): DbSetting {
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    // The value is not repeated: it may hold a password.
    throw new DigestError('CONFIG', 'db: not a valid PostgreSQL URL; write postgres://user:pass@host:port/name');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.hostname === '' || database === '' || database.includes('/')) {
    throw new DigestError('CONFIG', `db: the PostgreSQL URL for host '${url.hostname || '(none)'}' must name a host and a database: postgres://user:pass@host:port/name`);
  }
  const host = `${url.hostname}:${url.port || '5432'}`;
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return { dialect: 'postgres', url: db, host, label: `postgres://${user}${host}/${database}` };
}
