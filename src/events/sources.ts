// Reads every configured event source (files and feed URLs), then validates the whole calendar.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { DigestError } from '../errors.ts';
import { formatFinding, hasErrors, sortFindings, type Finding } from './finding.ts';
import { loadIcsText } from './ics/load.ts';
import { loadStructuredText, type LoadResult } from './load-yaml.ts';
import type { Calendar } from './model.ts';
import { validateEvents } from './rules/index.ts';

/** A source as the configuration gives it: a path or URL, or an object with its own settings. */
export type SourceSpec = string | { path?: string; url?: string; onInvalidEvent?: 'refuse' | 'skip' };

interface Source {
  location: string;
  /** What an event that cannot be read does: stop the calendar, or become a warning and be left out. */
  onInvalidEvent: 'refuse' | 'skip';
}

/** Feeds are someone else's calendar: skip by default; files the organizer edits: refuse. */
function sourceOf(spec: SourceSpec): Source {
  const location = typeof spec === 'string' ? spec : (spec.path ?? spec.url ?? '');
  const explicit = typeof spec === 'string' ? undefined : spec.onInvalidEvent;
  return { location, onInvalidEvent: explicit ?? (isUrl(location) ? 'skip' : 'refuse') };
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
  /** Injected for tests; the global fetch by default. */
  fetch?: typeof fetch;
  /** Give up on a feed after this long. */
  fetchTimeoutMs?: number;
}

export interface LoadedCalendar {
  calendar: Calendar;
  findings: Finding[];
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

async function readSource(source: string, opts: SourceOptions): Promise<{ text: string } | { problem: string }> {
  if (isUrl(source)) {
    try {
      const res = await (opts.fetch ?? fetch)(source, { signal: AbortSignal.timeout(opts.fetchTimeoutMs ?? 15_000), redirect: 'follow' });
      if (!res.ok) return { problem: `could not fetch the feed: HTTP ${res.status} ${res.statusText}`.trim() };
      return { text: await res.text() };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      return { problem: `could not fetch the feed: ${err.cause?.code ?? err.cause?.message ?? err.message}` };
    }
  }
  try {
    return { text: await readFile(resolve(opts.cwd, source), 'utf8') };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { problem: err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.code ?? err.message}` };
  }
}

function formatOf(source: string): 'yaml' | 'json' | 'ics' | undefined {
  const ext = extname(isUrl(source) ? new URL(source).pathname : source).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  if (ext === '.ics' || ext === '.ical' || ext === '.ifb' || isUrl(source)) return 'ics';
  return undefined;
}

async function loadSource(source: string, opts: SourceOptions): Promise<LoadResult> {
  const empty = (problem: string): LoadResult => ({
    events: [],
    alliedCalendars: [],
    findings: [{ path: source, line: 1, col: 1, severity: 'error', message: problem }],
  });
  const format = formatOf(source);
  if (!format) return empty('unknown kind of event source (expected .yaml, .yml, .json, .ics or an http(s) feed URL)');
  const read = await readSource(source, opts);
  if ('problem' in read) return empty(read.problem);
  if (format === 'ics') return loadIcsText(read.text, source, { listTimezone: opts.listTimezone, kinds: [...opts.kinds], defaultKind: opts.defaultKind });
  return loadStructuredText(read.text, source, format, { listTimezone: opts.listTimezone, defaultKind: opts.defaultKind });
}

/** An error about one event, from a source that skips such events: a warning, and the event is left out. */
function skipped(f: Finding): Finding {
  const { eventOnly: _, ...rest } = f;
  return { ...rest, severity: 'warning', skipped: true, message: `${f.message} (event skipped)` };
}

/** Loads and validates every source; findings are all of them, sorted by place. */
export async function loadCalendar(specs: readonly SourceSpec[], opts: SourceOptions): Promise<LoadedCalendar> {
  const sources = specs.map(sourceOf);
  const results = await Promise.all(sources.map((s) => loadSource(s.location, opts)));
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
