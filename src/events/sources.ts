// Reads every configured event source (files and feed URLs), then validates the whole calendar.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { DigestError } from '../errors.ts';
import { readFeed, type FeedOptions } from './feeds/read.ts';
import { formatFinding, hasErrors, sortFindings, type Finding } from './finding.ts';
import { loadStructuredText, type LoadResult } from './load-yaml.ts';
import type { Calendar } from './model.ts';
import { validateEvents } from './rules/index.ts';

/** A source as the configuration gives it: a path or URL, or an object with its own settings. */
export type SourceSpec = string | { path?: string; url?: string; onInvalidEvent?: 'refuse' | 'skip'; optional?: boolean; maxStaleHours?: number };

/** How long an optional feed's last good copy stands in for it when it fails. */
export const DEFAULT_MAX_STALE_HOURS = 72;

export interface Source {
  location: string;
  /** What an event that cannot be read does: stop the calendar, or become a warning and be left out. */
  onInvalidEvent: 'refuse' | 'skip';
  /** An ally's calendar: when it fails the digest goes out without it (or with its last good copy), with a warning. */
  optional: boolean;
  maxStaleHours: number;
}

/** Feeds are someone else's calendar: skip by default; files the organizer edits: refuse. */
function sourceOf(spec: SourceSpec): Source {
  const location = typeof spec === 'string' ? spec : (spec.path ?? spec.url ?? '');
  const o = typeof spec === 'string' ? {} : spec;
  return {
    location,
    onInvalidEvent: o.onInvalidEvent ?? (isUrl(location) ? 'skip' : 'refuse'),
    optional: o.optional ?? false,
    maxStaleHours: o.maxStaleHours ?? DEFAULT_MAX_STALE_HOURS,
  };
}

export function sourceLocation(spec: SourceSpec): string {
  return sourceOf(spec).location;
}

export interface SourceOptions {
  cwd: string;
  listTimezone: string;
  kinds: readonly string[];
  defaultKind: string;
  nowMs: number;
  /** How feeds are fetched and where their last good copies are kept (`dir` relative to cwd); the config's defaults if absent. */
  feeds?: Partial<FeedOptions> & { limits?: Partial<FeedOptions['limits']> };
  /** A local events file larger than this is an error naming its size (it would be read whole). */
  maxFileBytes?: number;
}

export interface LoadedCalendar {
  calendar: Calendar;
  findings: Finding[];
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

type Read = { text: string; warning?: string } | { problem: string; severity: 'error' | 'warning' };

async function readLocalFile(source: Source, opts: SourceOptions): Promise<Read> {
  const path = resolve(opts.cwd, source.location);
  const severity = source.optional ? 'warning' : 'error';
  try {
    const { size } = await stat(path);
    const max = opts.maxFileBytes ?? DEFAULT_MAX_BYTES;
    if (size > max) return { problem: `the file is ${size} bytes, over the limit of ${max} (limits.eventsFileMaxBytes)`, severity };
    return { text: await readFile(path, 'utf8') };
  } catch (e) {
    // The absolute path: a relative one means different files from different folders.
    const err = e as NodeJS.ErrnoException;
    return { problem: err.code === 'ENOENT' ? `no such file (${path})` : `cannot read ${path}: ${err.code ?? err.message}`, severity };
  }
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

function feedOptions(opts: SourceOptions): FeedOptions {
  const f = opts.feeds ?? {};
  return {
    ...f,
    dir: resolve(opts.cwd, f.dir ?? 'var/feeds'),
    limits: { timeoutMs: 20_000, maxBytes: DEFAULT_MAX_BYTES, maxRedirects: 5, allowPrivate: false, ...f.limits },
  };
}

function readSource(source: Source, opts: SourceOptions): Promise<Read> {
  return isUrl(source.location) ? readFeed(source, feedOptions(opts), opts.nowMs) : readLocalFile(source, opts);
}

function formatOf(source: string): 'yaml' | 'json' | 'ics' | undefined {
  const ext = extname(isUrl(source) ? new URL(source).pathname : source).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  if (ext === '.ics' || ext === '.ical' || ext === '.ifb' || isUrl(source)) return 'ics';
  return undefined;
}

async function loadSource(source: Source, opts: SourceOptions): Promise<LoadResult> {
  const at = source.location;
  const only = (severity: 'error' | 'warning', message: string): Finding => ({ path: at, line: 1, col: 1, severity, message });
  const format = formatOf(at);
  if (!format) return { events: [], alliedCalendars: [], findings: [only('error', 'unknown kind of event source (expected .yaml, .yml, .json, .ics or an http(s) feed URL)')] };
  const read = await readSource(source, opts);
  if ('problem' in read) return { events: [], alliedCalendars: [], findings: [{ ...only(read.severity, read.problem), ...(read.severity === 'warning' ? { sourceFailed: true } : {}) }] };
  // ical.js (and the ICS reader over it) is loaded only when a calendar is ICS: YAML and JSON calendars start faster.
  const loaded = format === 'ics'
    ? (await import('./ics/load.ts')).loadIcsText(read.text, at, { listTimezone: opts.listTimezone, kinds: [...opts.kinds], defaultKind: opts.defaultKind })
    : loadStructuredText(read.text, at, format, { listTimezone: opts.listTimezone, defaultKind: opts.defaultKind });
  return read.warning ? { ...loaded, findings: [{ ...only('warning', read.warning), sourceFailed: true }, ...loaded.findings] } : loaded;
}

/** An error about one event, from a source that skips such events: a warning, and the event is left out. */
function skipped(f: Finding): Finding {
  const { eventOnly: _, ...rest } = f;
  return { ...rest, severity: 'warning', skipped: true, message: `${f.message} (event skipped)` };
}

/** Loads and validates every source; findings are all of them, sorted by place. */
export async function loadCalendar(specs: readonly SourceSpec[], opts: SourceOptions): Promise<LoadedCalendar> {
  const sources = specs.map(sourceOf);
  const results = await Promise.all(sources.map((s) => loadSource(s, opts)));
  const events = results.flatMap((r) => r.events);
  // Invalid events never reach `valid`; the policy decides only whether they stop the calendar.
  const { findings, valid } = validateEvents(events, { kinds: opts.kinds, nowMs: opts.nowMs });
  const skipping = new Set(sources.filter((s) => s.onInvalidEvent === 'skip').map((s) => s.location));
  const all = [...results.flatMap((r) => r.findings), ...findings].map((f) => (f.eventOnly && f.severity === 'error' && skipping.has(f.path) ? skipped(f) : f));
  return {
    calendar: { events: valid, alliedCalendars: results.flatMap((r) => r.alliedCalendars) },
    findings: sortFindings(all),
  };
}

/** For the commands that use events: a calendar with any error is refused, never turned into an empty digest. */
export function requireValid(loaded: LoadedCalendar): Calendar {
  const errors = loaded.findings.filter((f) => f.severity === 'error');
  if (hasErrors(loaded.findings)) {
    throw new DigestError(
      'EVENTS_INVALID',
      `the event sources have ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was done (run 'event-digest check')`,
      errors.map(formatFinding),
    );
  }
  return loaded.calendar;
}
