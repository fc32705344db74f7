// A feed source as the calendar reads it: fetched, kept as the last good copy, and stood in for by that copy when an optional feed fails.
import type { Source } from '../sources.ts';
import { fetchFeed, type FeedLimits } from './fetch.ts';
import { readLastGood, saveLastGood, touchLastGood } from './last-good.ts';

export interface FeedOptions {
  limits: FeedLimits;
  /** Where the last good copies are kept (var/feeds by default). */
  dir: string;
  /** What each feed gave at the last online load (the shared calendar keeps it), by URL. */
  memo?: Map<string, FeedRead>;
  /** Answer from `memo` without a request (the shared calendar reloading for a changed file). */
  offline?: boolean;
}

const HOUR = 3_600_000;

export type FeedRead = { text: string; warning?: string } | { problem: string; severity: 'error' | 'warning' };

/** An ICS feed that answers something else (a login page, an error page sent as 200) is a failure, not an empty calendar. */
function notACalendar(url: string, text: string, contentType: string): string | undefined {
  if (/\.(ya?ml|json)$/i.test(new URL(url).pathname)) return undefined;
  if (/^\uFEFF?\s*BEGIN:VCALENDAR/i.test(text.slice(0, 200))) return undefined;
  return `could not fetch the feed: HTTP 200 answered ${contentType} that is not a calendar (no BEGIN:VCALENDAR)`;
}

export async function readFeed(source: Source, opts: FeedOptions, nowMs: number): Promise<FeedRead> {
  const remembered = opts.offline ? opts.memo?.get(source.location) : undefined;
  if (remembered) return remembered;
  const read = await fetchAndKeep(source, opts, nowMs);
  opts.memo?.set(source.location, read);
  return read;
}

async function fetchAndKeep(source: Source, opts: FeedOptions, nowMs: number): Promise<FeedRead> {
  const url = source.location;
  const copy = await readLastGood(opts.dir, url);
  const res = await fetchFeed(url, opts.limits, copy?.validators);
  let problem: string;
  if (res.kind === 'not-modified' && copy) {
    await touchLastGood(opts.dir, url, copy, nowMs).catch(() => undefined);
    return { text: copy.text };
  } else if (res.kind === 'not-modified') {
    problem = 'could not fetch the feed: HTTP 304 to a request that had no copy to revalidate';
  } else if (res.kind === 'body') {
    const wrong = notACalendar(url, res.text, res.contentType);
    if (!wrong) {
      const kept = await saveLastGood(opts.dir, url, { text: res.text, fetchedAtMs: nowMs, validators: res.validators }).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => `the last good copy could not be kept in ${opts.dir}: ${e.code ?? e.message}`,
      );
      return kept ? { text: res.text, warning: kept } : { text: res.text };
    }
    problem = wrong;
  } else {
    problem = res.message;
  }
  if (!source.optional) return { problem, severity: 'error' };
  const ageHours = copy ? (nowMs - copy.fetchedAtMs) / HOUR : Infinity;
  if (copy && ageHours <= source.maxStaleHours) {
    return { text: copy.text, warning: `${problem}; optional feed: using its last good copy, ${Math.round(ageHours * 10) / 10} h old` };
  }
  const why = copy ? `its last good copy is ${Math.round(ageHours)} h old, over maxStaleHours ${source.maxStaleHours}` : 'no last good copy';
  return { problem: `${problem}; optional feed left out (${why})`, severity: 'warning' };
}
