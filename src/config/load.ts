// Reads event-digest.config.yaml and the environment once, at the edge, into one typed Config.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';
import { DigestError } from '../errors.ts';
import { yamlToJs } from '../yaml-values.ts';
import { configSchema, envVars, parseEnvValue, type Config } from './schema.ts';

export const CONFIG_FILE = 'event-digest.config.yaml';

export interface LoadConfigOptions {
  cwd: string;
  /** --config PATH; when given, the file must exist. */
  configPath?: string;
  env: Record<string, string | undefined>;
}

export interface LoadedConfig {
  /** File paths in it (events files, db, outbox, feedDir, dkim.privateKey) are absolute when they came from the file or its defaults. */
  config: Config;
  /** Where the file was (absolute), if one was read. */
  file?: string;
}

export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  const file = resolve(opts.cwd, opts.configPath ?? CONFIG_FILE);
  const raw: Record<string, unknown> = {};
  let where = (_key: string) => 'configuration';
  let read: string | undefined;
  if (existsSync(file)) {
    read = file;
    // Absolute, so an error read in a journal or a cron mail says which file was meant.
    const shown = file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      // A folder, or a file we may not read: the user's to fix, said in one line.
      throw new DigestError('CONFIG', `${shown}: cannot read the configuration file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const p = lc.linePos(e.pos[0]);
      throw new DigestError('CONFIG', `${shown}:${p.line}:${p.col}: ${firstLine(e.message)}`);
    }
    if (doc.contents !== null && !isMap(doc.contents)) {
      throw new DigestError('CONFIG', `${shown}:1:1: the configuration must be a mapping of keys to values`);
    }
    if (isMap(doc.contents)) {
      const positions = new Map<string, string>();
      for (const pair of doc.contents.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const at = isScalar(pair.key) && pair.key.range ? lc.linePos(pair.key.range[0]) : { line: 1, col: 1 };
        positions.set(key, `${shown}:${at.line}:${at.col}`);
      }
      where = (key) => positions.get(key) ?? shown;
      const values = yamlToJs(doc);
      if (!values.ok) throw new DigestError('CONFIG', `${shown}: ${values.problem}`);
      Object.assign(raw, values.value);
    }
    if (typeof raw.events === 'string') raw.events = parseEnvValue('list', raw.events);
  } else if (opts.configPath) {
    throw new DigestError('CONFIG', `${file}: configuration file not found`);
  }
  const fromEnv = new Set<string>();
  for (const [name, spec] of Object.entries(envVars)) {
    const v = opts.env[name];
    if (v !== undefined && v !== '') {
      const value = parseEnvValue(spec.kind, v);
      if (spec.part === undefined) raw[spec.key] = value;
      else raw[spec.key] = { ...(typeof raw[spec.key] === 'object' ? (raw[spec.key] as object) : {}), [spec.part]: value };
      fromEnv.add(spec.key);
      const previous = where;
      where = (key) => (key === spec.key ? `environment ${name}` : previous(key));
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      const top = issue.path.length === 0 ? key : String(issue.path[0]);
      throw new DigestError('CONFIG', `${where(top)}: unknown configuration key '${[...issue.path, key].join('.')}'`);
    }
    const key = issue.path.map(String).join('.');
    throw new DigestError('CONFIG', `${where(String(issue.path[0] ?? ''))}: ${key || 'configuration'}: ${issue.message}`);
  }
  const config = read ? resolvePaths(parsed.data, dirname(read), fromEnv) : parsed.data;
  return { config, file: read };
}

/**
 * A config file's relative paths (and the defaults it leaves) mean its own folder, wherever the
 * command runs from (cron, systemd, another terminal); environment values keep meaning the working
 * directory, which every consumer resolves against.
 */
function resolvePaths(config: Config, base: string, fromEnv: ReadonlySet<string>): Config {
  const own = (key: keyof Config) => !fromEnv.has(key);
  const file = (p: string) => resolve(base, p);
  return {
    ...config,
    events: own('events') ? config.events.map((s) => (typeof s !== 'string' ? (s.path === undefined ? s : { ...s, path: file(s.path) }) : /^https?:\/\//i.test(s) ? s : file(s))) : config.events,
    db: own('db') ? resolveDb(config.db, base) : config.db,
    outbox: own('outbox') ? file(config.outbox) : config.outbox,
    feedDir: own('feedDir') ? file(config.feedDir) : config.feedDir,
    dkim: config.dkim && { ...config.dkim, privateKey: file(config.dkim.privateKey) },
  };
}

/** `db` is a path or sqlite:PATH (other schemes are left for the store to refuse); ':memory:' has no folder. */
function resolveDb(db: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(db) && !/^sqlite:/i.test(db)) return db;
  const path = db.replace(/^sqlite:(\/\/)?/i, '');
  return path === '' || path === ':memory:' ? db : resolve(base, path);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
