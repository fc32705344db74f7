// Builds the digest's view model for one variant (zone × chosen kinds): every string a template shows.
import { DateTime } from 'luxon';
import { cancelledWhen, entryBadges } from '../changes/badges.ts';
import type { ChangeSet } from '../changes/model.ts';
import { occurrenceKey } from '../changes/snapshot.ts';
import type { Selection } from '../calendar/select.ts';
import type { Window } from '../calendar/window.ts';
import { locationText } from '../events/location.ts';
import type { AlliedCalendar } from '../events/model.ts';
import { isAllowedUrl } from '../events/rules/link-urls.ts';
import { appUrl } from '../subscribers/links.ts';
import { entryView, type EntryView } from './entry-view.ts';
import { blocksToText, markdownToBlocks, type Block } from './markdown.ts';
import { guard, guardBlocks, headerText } from './safe-text.ts';
import { entryGroups, type EntryGroup } from './series.ts';
import { highlights, periodText, preheaderText, summaryText, windowLabels } from './subject.ts';
import { whenText } from './when.ts';
import { zoneAbbreviation } from './zone-name.ts';
import { distanceText } from '../places/distance.ts';
import { byDistance, nearness, type Nearby, type ReaderPlace } from '../places/nearby.ts';

export { summaryText, windowLabels } from './subject.ts';
export type { EntryView, LinkView } from './entry-view.ts';

export interface Brand {
  /** Buttons and rules; config checks its contrast with white. */
  color: string;
  logo?: string;
  logoAlt?: string;
}

export interface DigestSettings {
  listName: string;
  intro: string;
  postalAddress: string;
  /** Text with {{highlights}}, {{period}}, {{summary}}, {{window}}, {{windowWithYear}}, {{listName}}. */
  subject: string;
  whyText: string;
  baseUrl: string;
  /** Section order. */
  kinds: readonly string[];
  alliedCalendars: readonly AlliedCalendar[];
  brand: Brand;
  /** Entries per section before "N more … in the full list". */
  maxPerSection: number;
  /** When the issue for a window goes out (relative cues count from it); default: the window's start. */
  sendTime?(win: Window): number;
}

/** What differs between readers before personalisation: the zone, the kinds they chose (empty: all), and their place. */
export interface Variant {
  zone: string;
  kinds: readonly string[];
  /** The reader did not get the issue the badges compare with: no changed or cancelled entries for them. */
  fresh?: boolean;
  /** A reader with a place: local in-person events within the radius, nearest first (needs IssueExtras.nearby). */
  near?: ReaderPlace;
}

/** What belongs to one issue rather than to the configuration. */
export interface IssueExtras {
  /** The organizer's note (Markdown), shown at the top. */
  note?: string;
  /** Every entry, however many (the archive page, which "N more" links to). */
  full?: boolean;
  /** The change badges against the previous sent issue. */
  changes?: ChangeSet;
  /** The events' points and the distance unit, for variants with a place (src/places). */
  nearby?: Nearby;
  /** Entry views made for this zone before, reused (a place layer builds a view per place of one zone × kinds). */
  entryViews?: Map<EntryGroup, EntryView>;
}

export interface SectionView {
  kind: string;
  anchor: string;
  heading: string;
  items: EntryView[];
  /** "3 more actions in the full list", when the section was cut at maxPerSection. */
  more?: { text: string; url: string };
}

export interface DigestView {
  listName: string;
  windowLabel: string;
  subject: string;
  preheader: string;
  intro: string;
  brand: Brand;
  note: Block[];
  noteText: string;
  /** Every entry shown, in date order, grouped by day: one row per day, one line per entry. */
  glance: { date: string; items: { anchor: string; title: string }[] }[];
  featured: EntryView[];
  sections: SectionView[];
  saveTheDate: { title: string; when: string; where?: string; url?: string }[];
  /** Occurrences the previous issue listed that are cancelled or gone, with their old time (struck through). */
  cancelled: { title: string; when: string }[];
  allied: { name: string; label: string; url: string }[];
  postalAddress: string;
  whyText: string;
  archiveUrl: string;
  calendarUrl: string;
  subscribeUrl: string;
  zoneNote: string;
  /** Entries per kind (a series once). */
  counts: Record<string, number>;
  total: number;
  /** Nothing in the window for this variant. */
  quiet: boolean;
  /** For a reader with a place: which place and radius, and how many local events farther away were left out. */
  near?: { text: string; beyond?: { text: string; url: string } };
}

const plural = (kind: string, n: number) => (n === 1 ? kind : kind.endsWith('s') ? kind : `${kind}s`);
const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A kind as a heading or a choice on a form: `webinar` → `Webinars`. */
export const kindHeading = (kind: string) => titleCase(plural(kind, 2));

export function wants(variant: Variant, kind: string): boolean {
  return variant.kinds.length === 0 || variant.kinds.includes(kind);
}

/** Entries that follow each other on the same day share a row. */
function glanceRows(entries: readonly EntryView[]): DigestView['glance'] {
  const rows: DigestView['glance'] = [];
  for (const e of entries) {
    const last = rows.at(-1);
    if (last && last.date === e.glance) last.items.push({ anchor: e.anchor, title: e.title });
    else rows.push({ date: e.glance, items: [{ anchor: e.anchor, title: e.title }] });
  }
  return rows;
}

/** The subject line of the entries listed (the settings' template filled in), the window's labels, the highlights, the counts per kind, and the filler of templates. */
function subjectOf(groups: readonly EntryGroup[], win: Selection['window'], zone: string, settings: DigestSettings) {
  const counts: Record<string, number> = {};
  for (const g of groups) counts[g.event.kind] = (counts[g.event.kind] ?? 0) + 1;
  const labels = windowLabels(win);
  const named = highlights(groups, zone, settings.kinds);
  const summary = summaryText(counts, settings.kinds) || 'nothing scheduled';
  const values: Record<string, string> = { highlights: named.text, period: periodText(win), summary, window: labels.short, windowWithYear: labels.long, listName: settings.listName };
  // One pass, so a title that holds "{{period}}" is not filled in again.
  const fill = (t: string) => t.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m);
  return { labels, named, counts, fill, subject: guard(headerText(fill(settings.subject))) };
}

/**
 * The subject `buildDigestView(selection, variant, settings).subject` has for a variant without a place, without
 * building the entries' views (a send names its issue by the list's default reader's subject).
 */
export function digestSubject(selection: Selection, variant: Variant, settings: DigestSettings): string {
  if (variant.near) throw new RangeError('digestSubject: a variant with a place needs the place layer');
  return subjectOf(entryGroups(selection).filter((g) => wants(variant, g.event.kind)), selection.window, variant.zone, settings).subject;
}

export function buildDigestView(selection: Selection, variant: Variant, settings: DigestSettings, extras: IssueExtras = {}): DigestView {
  const win = selection.window;
  const wanted = entryGroups(selection).filter((g) => wants(variant, g.event.kind));
  const place = placeFilter(wanted, variant.near, extras.nearby);
  const groups = place?.listed ?? wanted;
  // Nearest first within each list; without a place, date order as before.
  const ordered = (list: EntryGroup[]) => (place ? byDistance(list, (g) => place.distances.get(g)) : list);
  const order = [...settings.kinds, ...new Set(groups.map((g) => g.event.kind).filter((k) => !settings.kinds.includes(k)))];
  const today = DateTime.fromMillis(settings.sendTime?.(win) ?? win.startMs, { zone: variant.zone }).toISODate() as string;
  const archiveUrl = appUrl(settings.baseUrl, `archive/${win.startDate}`);
  const limit = extras.full ? Infinity : settings.maxPerSection;

  // Which entries are shown: featured ones first, then up to the limit per kind, in date order.
  const featured = ordered(groups.filter((g) => g.event.featured));
  const shown = new Set(featured);
  const cut: Record<string, number> = {};
  for (const kind of order) {
    const ofKind = ordered(groups.filter((g) => g.event.kind === kind && !g.event.featured));
    ofKind.slice(0, limit).forEach((g) => shown.add(g));
    if (ofKind.length > limit) cut[kind] = ofKind.length - limit;
  }
  const changes = extras.changes;
  const showChanged = changes !== undefined && !variant.fresh;
  const badged = (view: EntryView, g: EntryGroup): EntryView => {
    if (!changes) return view;
    const b = entryBadges(g.occurrences.map((o) => changes.byKey.get(occurrenceKey(o))), variant.zone, showChanged);
    return { ...view, badge: b.badge, was: b.was.map(guard) };
  };
  const views = new Map(
    groups.filter((g) => shown.has(g)).map((g, i) => {
      // Cached per place layer, which is one zone, kinds and receipt of the previous issue: the badges are the same.
      const made = extras.entryViews?.get(g) ?? badged(entryView(g, i, { readerZone: variant.zone, win, today, baseUrl: settings.baseUrl }), g);
      extras.entryViews?.set(g, made);
      // Only the anchor depends on the entry's position.
      const view = made.anchor === `e${i}` ? made : { ...made, anchor: `e${i}` };
      const d = place?.distances.get(g);
      return [g, d === undefined || !extras.nearby ? view : { ...view, distance: guard(distanceText(d, extras.nearby.unit)) }];
    }),
  );
  const sections = order
    .map((kind): SectionView => {
      const items = ordered(groups.filter((g) => g.event.kind === kind && !g.event.featured && views.has(g))).map((g) => views.get(g) as EntryView);
      const n = cut[kind];
      return {
        kind,
        anchor: `s-${kind}`,
        heading: kindHeading(kind),
        items,
        more: n ? { text: `${n} more ${plural(kind, n)} in the full list`, url: `${archiveUrl}#s-${kind}` } : undefined,
      };
    })
    .filter((s) => s.items.length > 0);

  const { labels, named, counts, fill, subject } = subjectOf(groups, win, variant.zone, settings);
  const note = markdownToBlocks(extras.note?.trim() ?? '');
  const brand = settings.brand;
  return {
    listName: guard(settings.listName),
    windowLabel: labels.long,
    subject,
    preheader: guard(headerText(preheaderText(groups, named.named, variant.zone, settings.kinds, labels.short))),
    intro: guard(settings.intro),
    brand: { color: brand.color, logo: brand.logo === undefined ? undefined : guard(brand.logo), logoAlt: brand.logoAlt === undefined ? undefined : guard(brand.logoAlt) },
    note: guardBlocks(note),
    noteText: guard(blocksToText(note)),
    glance: glanceRows([...views.values()]),
    featured: featured.map((g) => views.get(g) as EntryView),
    sections,
    saveTheDate: selection.saveTheDate
      .filter((o) => wants(variant, o.kind) && (!variant.near || !extras.nearby || nearness(o, variant.near, extras.nearby).listed))
      .map((o) => ({
        title: guard(o.title),
        when: guard(whenText(o, variant.zone, win).when),
        where: guard(locationText(o.location) ?? '') || undefined,
        url: guard(o.links.find((l) => l.url && isAllowedUrl(l.url))?.url ?? '') || undefined,
      })),
    cancelled: showChanged ? changes.cancelled.filter((c) => wants(variant, c.kind)).map((c) => ({ title: guard(c.title), when: guard(cancelledWhen(c, variant.zone)) })) : [],
    allied: settings.alliedCalendars.map((a) => ({ name: guard(a.name), label: guard(a.label ?? `See also the calendar of ${a.name}.`), url: guard(a.url) })),
    postalAddress: guard(settings.postalAddress),
    whyText: guard(fill(settings.whyText)),
    archiveUrl,
    calendarUrl: appUrl(settings.baseUrl, 'calendar.ics'),
    subscribeUrl: appUrl(settings.baseUrl, 'subscribe'),
    zoneNote: `Online events are shown in your time zone, ${variant.zone.replace(/_/g, ' ')} (${zoneAbbreviation(win.startMs, variant.zone)}); in-person ones in the venue's.`,
    counts,
    total: groups.length,
    quiet: groups.length === 0,
    ...(variant.near && extras.nearby && place ? { near: nearText(variant.near, extras.nearby.unit, place.beyond, archiveUrl) } : {}),
  };
}

/** The entries a reader with a place gets (local ones beyond the radius left out), and each one's distance. */
function placeFilter(groups: readonly EntryGroup[], near: ReaderPlace | undefined, nearby: Nearby | undefined) {
  if (!near || !nearby) return undefined;
  const distances = new Map<EntryGroup, number>();
  const listed: EntryGroup[] = [];
  let beyond = 0;
  for (const g of groups) {
    // An entry is at one place (series.ts lists an instance held elsewhere on its own): its first occurrence's.
    const n = nearness(g.occurrences[0], near, nearby);
    if (!n.listed) beyond++;
    else listed.push(g);
    if (n.listed && n.distance !== undefined) distances.set(g, n.distance);
  }
  return { listed, distances, beyond };
}

function nearText(near: ReaderPlace, unit: string, beyond: number, archiveUrl: string): NonNullable<DigestView['near']> {
  const text = guard(`For you near ${near.name}: in-person events within ${near.radius} ${unit}, nearest first, and every national and online event.`);
  if (beyond === 0) return { text };
  return { text, beyond: { text: guard(`${beyond} in-person ${beyond === 1 ? 'event' : 'events'} farther away ${beyond === 1 ? 'is' : 'are'} not shown here:`), url: archiveUrl } };
}
