// Builds what every command needs from the global options: the typed config, the clock, the calendar.
import { DateTime } from 'luxon';
import { fixedClock, systemClock, type Clock } from '../clock.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { DigestError } from '../errors.ts';
import type { FeedOptions } from '../events/feeds/read.ts';
import type { LoadedCalendar, SourceOptions } from '../events/sources.ts';
import { parseDbSetting } from '../store/db-setting.ts';
import type { Store } from '../store/store.ts';
import type { Io } from './io.ts';

export interface GlobalOptions {
  config?: string;
  verbose?: boolean;
}

export interface Context {
  io: Io;
  config: Config;
  /** The configuration file read (absolute), if any. */
  configFile?: string;
  /** --verbose (or DEBUG). */
  verbose: boolean;
  /** The database config `db` names: the absolute file, or postgres://user@host:port/name without the password (what `status` and `check --verbose` show). */
  dbPath(): string;
  clock: Clock;
  /** Loads every source; `feeds` (memo, offline) is how the shared calendar reloads without fetching. */
  loadEvents(feeds?: Pick<FeedOptions, 'memo' | 'offline'>): Promise<LoadedCalendar>;
  /** The database at config `db`, opened (and migrated) on first call; the same Store after that. */
  openStore(): Promise<Store>;
  /** Closes what the context opened; run() calls it when the command is done. */
  close(): Promise<void>;
}

export function clockFromEnv(env: Io['env']): Clock {
  const now = env.DIGEST_NOW;
  if (now === undefined || now === '') return systemClock;
  const dt = DateTime.fromISO(now, { setZone: true });
  if (!dt.isValid) throw new DigestError('CONFIG', `environment DIGEST_NOW: '${now}' is not an ISO 8601 instant`);
  return fixedClock(dt.toJSDate());
}

/** The config's feed and file limits, as the loader takes them. */
export function sourceLimits(config: Config, feeds?: Pick<FeedOptions, 'memo' | 'offline'>): Pick<SourceOptions, 'feeds' | 'maxFileBytes'> {
  const l = config.limits;
  return {
    feeds: { ...feeds, dir: config.feedDir, limits: { timeoutMs: l.feedTimeoutSeconds * 1000, maxBytes: l.feedMaxBytes, maxRedirects: l.feedMaxRedirects, allowPrivate: config.allowPrivateFeeds } },
    maxFileBytes: l.eventsFileMaxBytes,
  };
}

export function makeContext(io: Io, opts: GlobalOptions): Context {
  const { config, file } = loadConfig({ cwd: io.cwd, env: io.env, configPath: opts.config });
  const clock = clockFromEnv(io.env);
  let store: Promise<Store> | undefined;
  return {
    io,
    config,
    configFile: file,
    verbose: !!opts.verbose || !!io.env.DEBUG,
    dbPath: () => parseDbSetting(config.db, io.cwd).label,
    clock,
    // The calendar loaders and the database driver are imported on first use: not every command needs them.
    loadEvents: async (feeds) =>
      (await import('../events/sources.ts')).loadCalendar(config.events, {
        cwd: io.cwd,
        listTimezone: config.timezone,
        kinds: config.kinds,
        defaultKind: config.defaultKind,
        nowMs: clock.now().getTime(),
        ...sourceLimits(config, feeds),
      }),
    openStore: () =>
      (store ??= import('../store/open.ts').then(({ openStore }) =>
        openStore({ db: config.db, cwd: io.cwd, clock, defaultTimezone: config.timezone, secret: config.secret, retrySeconds: config.dbRetrySeconds }),
      )),
    close: async () => {
      // A store that failed to open has nothing to close (its error went to the command).
      const opened = await store?.catch(() => undefined);
      await opened?.close();
    },
  };
}
