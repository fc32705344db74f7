// One entry of the digest as a reader acts on it: what, when, where, how to join, and the one button to press.
import type { Window } from '../calendar/window.ts';
import { occurrenceKey } from '../changes/snapshot.ts';
import { fullAddress, joinUrl, locationText, mapUrl } from '../events/location.ts';
import { isAllowedUrl } from '../events/rules/link-urls.ts';
import { calendarLinks, eventPageUrl, type CalendarLinks } from './calendar-links.ts';
import { blocksToText, markdownToBlocks, shorten, type Block } from './markdown.ts';
import { guard, guardBlocks } from './safe-text.ts';
import { entryTitle, seriesText, type EntryGroup } from './series.ts';
import { displayZone, relativeDay, startDate, weekdayShortDate } from './when.ts';

/** About this much of a description is shown in the mail; the rest is on the event page ("More →"). */
const DESCRIPTION_CHARS = 200;

export interface LinkView {
  label: string;
  url: string;
  /** Makes sense out of context: "Register here: RE-volv Webinar…". */
  aria: string;
}

export interface EntryView {
  /** Which entry this is, for the place layer's caches: its event, or the instance of a series listed apart (another place). */
  key: string;
  /** The in-mail anchor "At a glance" links to. */
  anchor: string;
  kind: string;
  title: string;
  /** The title's link: the first link, else the join link, else the event page. */
  url: string;
  /** "Today", "Tomorrow", "This Saturday", from the send date in the reader's zone. */
  cue?: string;
  /** The date line, the cue in it: "Tomorrow, Dec 6 · 2:00 – 3:00 PM EST". */
  when: string;
  /** A series' dates (and skipped ones), or a campaign's sessions. */
  dates?: string;
  /** Moved or retitled instances of a series. */
  changes: string[];
  tentative: boolean;
  featured: boolean;
  /** The street address of an in-person (or hybrid) event, and a map of it. */
  place?: string;
  /** "12 mi away", for a reader with a place (digest-view.ts). */
  distance?: string;
  /** The entry's HTML, already rendered (the place layer renders each entry once per zone and reuses it). */
  html?: string;
  mapUrl?: string;
  /** "Online", or "Online (Zoom)". */
  online?: string;
  join?: { url: string; label: string };
  hostedBy?: string;
  description: Block[];
  descriptionText: string;
  /** The event page, when the description was cut. */
  moreUrl?: string;
  /** The one primary button: the first link, or the join link. */
  button?: LinkView;
  /** The other links, as text. */
  links: LinkView[];
  /** Links named in the calendar but without an address. */
  unlinked: string[];
  cal: CalendarLinks;
  /** "New" when every occurrence of the entry is new since the previous issue. */
  badge?: string;
  /** What changed occurrences were: "was Tue, Dec 6, 2:00 PM EST" (shown after "Changed:"). */
  was?: string[];
  /** Its day in "At a glance": the first date's cue, or the date. */
  glance: string;
}

export interface EntryContext {
  readerZone: string;
  win: Window;
  /** The send date in the reader's zone (`YYYY-MM-DD`). */
  today: string;
  baseUrl: string;
}

/** "zoom.us/j/123…": what a join link looks like in a line of text, so a reader sees where it goes. */
function linkText(url: string, max = 40): string {
  const bare = url.replace(/^https?:\/\//i, '').replace(/^mailto:/i, '').replace(/\/$/, '');
  return bare.length > max ? `${bare.slice(0, max - 1)}…` : bare;
}

/** "Tue, Dec 6 · …" with a cue reads "Tomorrow, Dec 6 · …"; a line without a weekday gets the cue in front. */
function withCue(when: string, cue: string | undefined): string {
  if (!cue) return when;
  return /^[A-Z][a-z]{2}, /.test(when) ? `${cue}, ${when.slice(5)}` : `${cue} · ${when}`;
}

/** A description's blocks and text by its shortened Markdown: every variant of an issue lists the same entries. */
const described = new Map<string, Pick<EntryView, 'description' | 'descriptionText'>>();

function describe(short: string): Pick<EntryView, 'description' | 'descriptionText'> {
  let d = described.get(short);
  if (!d) {
    const blocks = markdownToBlocks(short);
    d = { description: guardBlocks(blocks), descriptionText: guard(blocksToText(blocks)) };
    if (described.size >= 10_000) described.clear();
    described.set(short, d);
  }
  return d;
}

export function entryView(g: EntryGroup, index: number, ctx: EntryContext): EntryView {
  const first = g.occurrences[0];
  const ev = g.event;
  const series = seriesText(g, ctx.readerZone, ctx.win);
  const zone = displayZone(first, ctx.readerZone);
  const firstCue = first.ongoing ? undefined : relativeDay(startDate(first, zone), ctx.today);
  // A series' date line is its rhythm ("Every Tuesday"); only a single date takes the cue.
  const cue = g.occurrences.length > 1 ? undefined : firstCue;
  const pageUrl = eventPageUrl(ctx.baseUrl, ev.id);
  // A campaign's entry is the campaign's, not its first session's.
  const loc = first.location;
  const links = first.links.filter((l) => l.url !== '' && isAllowedUrl(l.url));
  const join = joinUrl(loc);
  const joinOk = join !== undefined && isAllowedUrl(join) ? join : undefined;
  const title = entryTitle(g);
  const aria = (label: string) => guard(`${label}: ${title}`);
  const asView = (label: string, url: string): LinkView => ({ label: guard(label), url: guard(url), aria: aria(label) });
  const button = links[0] ? asView(links[0].label, links[0].url) : joinOk ? asView('Join', joinOk) : undefined;
  const full = (first.description ?? '').trim();
  const short = shorten(full, DESCRIPTION_CHARS);
  const place = fullAddress(loc);
  // A hybrid event's place has its own line; an online-only one may name its service: "Online (Zoom)".
  const online = loc?.online ? (place ? 'Online' : (locationText(loc) ?? 'Online')) : undefined;
  return {
    key: g.apart ? occurrenceKey(first) : ev.id,
    anchor: `e${index}`,
    kind: ev.kind,
    title: guard(title),
    url: guard(links[0]?.url ?? joinOk ?? pageUrl),
    cue,
    when: guard(withCue(series.when, cue)),
    dates: series.dates === undefined ? undefined : guard(series.dates),
    changes: series.changes.map(guard),
    tentative: first.status === 'tentative',
    featured: ev.featured === true,
    place: place === undefined ? undefined : guard(place),
    mapUrl: mapUrl(loc),
    online: online === undefined ? undefined : guard(online),
    join: joinOk ? { url: guard(joinOk), label: guard(linkText(joinOk)) } : undefined,
    hostedBy: ev.organizer?.trim() ? guard(ev.organizer.trim()) : undefined,
    ...describe(short),
    moreUrl: short !== full ? pageUrl : undefined,
    button,
    links: links.slice(button && links[0] ? 1 : 0).map((l) => asView(l.label, l.url)),
    unlinked: first.links.filter((l) => l.url === '').map((l) => guard(l.label)),
    cal: calendarLinks(ctx.baseUrl, ev.id),
    glance: firstCue ?? (first.ongoing ? 'Ongoing' : weekdayShortDate(startDate(first, zone))),
  };
}
