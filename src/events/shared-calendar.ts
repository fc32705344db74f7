// One loaded calendar for the web app and the daemon's pages: kept in memory, reloaded on a TTL or when a local file changes; a request never fetches.
import { stat } from 'node:fs/promises';
import type { Clock } from '../clock.ts';
import type { LoadedCalendar } from './sources.ts';

export interface SharedCalendarOptions {
  clock: Clock;
  ttlMs: number;
  /** The local event files (absolute paths): an edit shows on the next request, without fetching any feed. */
  files: readonly string[];
  /** Loads every source; `offline`: feeds answer as they did at the last online load, with no request. */
  load(offline: boolean): Promise<LoadedCalendar>;
}

export interface SharedCalendar {
  /** The calendar as last loaded; reloads first (offline) when a local file changed. */
  get(): Promise<LoadedCalendar>;
  /** What a timer calls: reloads, feeds included, when the TTL has passed on the clock; at most one reload at a time. */
  tick(): Promise<void>;
  /** Loads now, feeds included (at start, before the first request). */
  refresh(): Promise<LoadedCalendar>;
}

async function fileStamps(files: readonly string[]): Promise<string> {
  const stamps = await Promise.all(files.map((f) => stat(f).then((s) => `${s.mtimeMs}:${s.size}`, () => 'missing')));
  return stamps.join('|');
}

export function sharedCalendar(opts: SharedCalendarOptions): SharedCalendar {
  let current: { loaded: LoadedCalendar; atMs: number; stamps: string } | undefined;
  let running: Promise<LoadedCalendar> | undefined;
  const reload = (offline: boolean): Promise<LoadedCalendar> => {
    // One reload at a time: requests arriving meanwhile share it rather than start their own.
    running ??= (async () => {
      const stamps = await fileStamps(opts.files);
      const loaded = await opts.load(offline);
      current = { loaded, atMs: offline && current ? current.atMs : opts.clock.now().getTime(), stamps };
      return loaded;
    })().finally(() => (running = undefined));
    return running;
  };
  return {
    async get() {
      if (!current) return running ?? reload(false);
      if ((await fileStamps(opts.files)) !== current.stamps) return reload(true);
      return current.loaded;
    },
    async tick() {
      if (!current || opts.clock.now().getTime() - current.atMs >= opts.ttlMs) await reload(false);
    },
    refresh: () => reload(false),
  };
}
