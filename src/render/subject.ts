// The subject and preheader: what the window holds, named, in the few words an inbox shows.
import { DateTime } from 'luxon';
import type { Window } from '../calendar/window.ts';
import type { Occurrence } from '../calendar/occurrence.ts';
import { entryTitle, type EntryGroup } from './series.ts';
import { displayZone, shortDate, startDate } from './when.ts';

/** Beyond this, the subject names one entry instead of two. */
const HIGHLIGHTS_MAX = 70;
const TITLE_MAX = 48;

const plural = (kind: string, n: number) => (n === 1 ? kind : kind.endsWith('s') ? kind : `${kind}s`);

/** "1 action, 2 webinars": entries per kind (a series counts once), in the configured order. */
export function summaryText(counts: Record<string, number>, order: readonly string[]): string {
  const kinds = [...order.filter((k) => counts[k]), ...Object.keys(counts).filter((k) => !order.includes(k) && counts[k])];
  return kinds.map((k) => `${counts[k]} ${plural(k, counts[k])}`).join(', ');
}

/** Per window: a place layer builds a view per place of one window (src/places/place-layer.ts), and luxon is not free. */
const labelsOf = new WeakMap<Window, { short: string; long: string }>();
const periodOf = new WeakMap<Window, string>();

/** "Nov 28 – Dec 18" (and with the year): the window's first and last day. */
export function windowLabels(win: Window): { short: string; long: string } {
  return labelsOf.get(win) ?? labelsOf.set(win, labelsFor(win)).get(win)!;
}

function labelsFor(win: Window): { short: string; long: string } {
  const a = DateTime.fromISO(win.startDate, { zone: 'UTC', locale: 'en-US' });
  const b = DateTime.fromISO(win.endDate, { zone: 'UTC', locale: 'en-US' }).minus({ days: 1 });
  const short = a.month === b.month ? `${a.toFormat('LLL d')} – ${b.toFormat('d')}` : `${a.toFormat('LLL d')} – ${b.toFormat('LLL d')}`;
  const long = a.year === b.year ? `${short}, ${a.year}` : `${a.toFormat('LLL d, yyyy')} – ${b.toFormat('LLL d, yyyy')}`;
  return { short, long };
}

/** "This week" for a one-week window; otherwise the window's dates, so a three-week issue never says "this week". */
export function periodText(win: Window): string {
  let text = periodOf.get(win);
  if (text === undefined) {
    const days = DateTime.fromISO(win.endDate).diff(DateTime.fromISO(win.startDate), 'days').days;
    periodOf.set(win, (text = days === 7 ? 'This week' : windowLabels(win).short));
  }
  return text;
}

/** A title for the subject: its part before a subtitle ("RE-volv Webinar: Solar…" → "RE-volv Webinar"), and not too long. */
export function shortTitle(title: string): string {
  const colon = title.indexOf(': ');
  const head = colon >= 8 ? title.slice(0, colon) : title;
  return head.length > TITLE_MAX ? `${head.slice(0, head.lastIndexOf(' ', TITLE_MAX - 1) > 20 ? head.lastIndexOf(' ', TITLE_MAX - 1) : TITLE_MAX - 1)}…` : head;
}

const firstDays = new WeakMap<Occurrence, Map<string, string>>();

/** An occurrence's first day as a reader in `zone` sees it, worked out once: a date in a zone costs a luxon conversion, and every variant (place) of an issue asks again. */
function firstDay(o: Occurrence, zone: string): string {
  let byZone = firstDays.get(o);
  if (!byZone) firstDays.set(o, (byZone = new Map()));
  let day = byZone.get(zone);
  if (day === undefined) byZone.set(zone, (day = startDate(o, displayZone(o, zone))));
  return day;
}

/**
 * Who the subject names first: featured entries, then those that start in the window by day (within a
 * day in the digest's section order), ongoing ones last.
 */
function byInterest(groups: readonly EntryGroup[], zone: string, kinds: readonly string[]): EntryGroup[] {
  // Each entry's keys worked out once, not in every comparison; the days are all YYYY-MM-DD, so they compare as text.
  const keyed = groups.map((g) => ({
    g,
    rank: g.event.featured ? 0 : g.occurrences[0].ongoing ? 2 : 1,
    day: firstDay(g.occurrences[0], zone),
    kind: kinds.includes(g.event.kind) ? kinds.indexOf(g.event.kind) : kinds.length,
    startMs: g.occurrences[0].startMs,
  }));
  const byDay = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  keyed.sort((a, b) => a.rank - b.rank || byDay(a.day, b.day) || a.kind - b.kind || a.startMs - b.startMs);
  return keyed.map((k) => k.g);
}

/**
 * "Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more": the first entries by interest,
 * each date said once, and how many more. `named` is how many it named.
 */
export function highlights(groups: readonly EntryGroup[], zone: string, kinds: readonly string[]): { text: string; named: number } {
  if (groups.length === 0) return { text: 'Nothing scheduled', named: 0 };
  const ordered = byInterest(groups, zone, kinds);
  const label = (g: EntryGroup) => (g.occurrences[0].ongoing ? 'Ongoing' : shortDate(firstDay(g.occurrences[0], zone)));
  const say = (n: number) => {
    let date = '';
    const parts = ordered.slice(0, n).map((g) => {
      const d = label(g);
      const text = d === date ? shortTitle(entryTitle(g)) : `${d}: ${shortTitle(entryTitle(g))}`;
      date = d;
      return text;
    });
    const more = groups.length - n;
    return `${parts.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  };
  const two = Math.min(2, groups.length);
  const text = say(two);
  return two === 2 && text.length > HIGHLIGHTS_MAX ? { text: say(1), named: 1 } : { text, named: two };
}

/** What the inbox shows after the subject: the entries it did not name (never the counts again). */
export function preheaderText(groups: readonly EntryGroup[], named: number, zone: string, kinds: readonly string[], windowShort: string): string {
  if (groups.length === 0) return `Nothing is scheduled ${windowShort}.`;
  const rest = byInterest(groups, zone, kinds).slice(named);
  if (rest.length === 0) {
    const first = groups[0].occurrences[0];
    return `${shortDate(startDate(first, displayZone(first, zone)))}: ${entryTitle(groups[0])}. Where, when and how to join inside.`;
  }
  const titles = rest.slice(0, 3).map((g) => shortTitle(entryTitle(g)));
  const more = rest.length - titles.length;
  return `Also: ${titles.join(', ')}${more > 0 ? ` and ${more} more` : ''}. Where, when and how to join inside.`;
}
