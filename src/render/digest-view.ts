// Builds the digest's view model for one variant (zone × chosen kinds): every string a template shows.
import { DateTime } from 'luxon';
import type { Occurrence } from '../calendar/occurrence.ts';
import type { Selection } from '../calendar/select.ts';
import type { Window } from '../calendar/window.ts';
import { locationText } from '../events/location.ts';
import type { AlliedCalendar } from '../events/model.ts';
import { isAllowedUrl } from '../events/rules/link-urls.ts';
import { calendarLinks, type CalendarLinks } from './calendar-links.ts';
import { blocksToText, markdownToBlocks, shorten, type Block, type Inline } from './markdown.ts';
import { guard, headerText } from './safe-text.ts';
import { whenText } from './when.ts';
import { zoneAbbreviation } from './zone-name.ts';

export interface DigestSettings {
  listName: string;
  intro: string;
  postalAddress: string;
  /** Handlebars text with {{summary}}, {{window}}, {{windowWithYear}}, {{listName}}. */
  subject: string;
  whyText: string;
  baseUrl: string;
  /** Section order. */
  kinds: readonly string[];
  alliedCalendars: readonly AlliedCalendar[];
}

/** What differs between readers before personalisation: the zone and the kinds they chose (empty: all). */
export interface Variant {
  zone: string;
  kinds: readonly string[];
}

export interface LinkView {
  label: string;
  url: string;
  /** Makes sense out of context: "Register here: RE-volv Webinar…". */
  aria: string;
}

export interface EventView {
  id: string;
  kind: string;
  title: string;
  when: string;
  sessions?: string;
  where?: string;
  description: Block[];
  descriptionText: string;
  links: LinkView[];
  /** Links named in the calendar but without an address: shown as text. */
  unlinked: string[];
  cal: CalendarLinks;
}

export interface SectionView {
  kind: string;
  heading: string;
  items: EventView[];
}

export interface DigestView {
  listName: string;
  windowLabel: string;
  subject: string;
  preheader: string;
  intro: string;
  sections: SectionView[];
  saveTheDate: { title: string; when: string; where?: string; url?: string }[];
  allied: { name: string; label: string; url: string }[];
  postalAddress: string;
  whyText: string;
  archiveUrl: string;
  zoneNote: string;
  counts: Record<string, number>;
  total: number;
  /** Nothing in the window for this variant. */
  quiet: boolean;
}

const plural = (kind: string, n: number) => (n === 1 ? kind : kind.endsWith('s') ? kind : `${kind}s`);
const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A kind as a heading or a choice on a form: `webinar` → `Webinars`. */
export const kindHeading = (kind: string) => titleCase(plural(kind, 2));

/** "Nov 28 – Dec 18" (and with the year): the window's first and last day. */
export function windowLabels(win: Window): { short: string; long: string } {
  const a = DateTime.fromISO(win.startDate, { zone: 'UTC', locale: 'en-US' });
  const b = DateTime.fromISO(win.endDate, { zone: 'UTC', locale: 'en-US' }).minus({ days: 1 });
  const short = a.month === b.month ? `${a.toFormat('LLL d')} – ${b.toFormat('d')}` : `${a.toFormat('LLL d')} – ${b.toFormat('LLL d')}`;
  const long = a.year === b.year ? `${short}, ${a.year}` : `${a.toFormat('LLL d, yyyy')} – ${b.toFormat('LLL d, yyyy')}`;
  return { short, long };
}

function guardInlines(xs: Inline[]): Inline[] {
  return xs.map((i) => ({ ...i, href: i.href === undefined ? undefined : guard(i.href), parts: i.parts.map((p) => ({ ...p, text: guard(p.text) })) }));
}

function guardBlocks(blocks: Block[]): Block[] {
  return blocks.map((b) => ('paragraph' in b ? { paragraph: guardInlines(b.paragraph) } : { ...b, list: b.list.map(guardInlines) }));
}

export function wants(variant: Variant, kind: string): boolean {
  return variant.kinds.length === 0 || variant.kinds.includes(kind);
}

function eventView(o: Occurrence, variant: Variant, win: Window, settings: DigestSettings): EventView {
  const when = whenText(o, variant.zone, win);
  const description = markdownToBlocks(shorten(o.description ?? ''));
  const links = o.links.filter((l) => l.url !== '' && isAllowedUrl(l.url));
  return {
    id: o.eventId,
    kind: o.kind,
    title: guard(o.title),
    when: when.when,
    sessions: when.sessions,
    where: guard(locationText(o.location) ?? '') || undefined,
    description: guardBlocks(description),
    descriptionText: guard(blocksToText(description)),
    links: links.map((l) => ({ label: guard(l.label), url: guard(l.url), aria: guard(`${l.label}: ${o.title}`) })),
    unlinked: o.links.filter((l) => l.url === '').map((l) => guard(l.label)),
    cal: calendarLinks(o, settings.baseUrl),
  };
}

export function summaryText(counts: Record<string, number>, order: readonly string[]): string {
  const kinds = [...order.filter((k) => counts[k]), ...Object.keys(counts).filter((k) => !order.includes(k) && counts[k])];
  return kinds.map((k) => `${counts[k]} ${plural(k, counts[k])}`).join(', ');
}

export function buildDigestView(selection: Selection, variant: Variant, settings: DigestSettings): DigestView {
  const win = selection.window;
  const chosen = selection.occurrences.filter((o) => wants(variant, o.kind));
  const order = [...settings.kinds, ...new Set(chosen.map((o) => o.kind).filter((k) => !settings.kinds.includes(k)))];
  const sections = order
    .map((kind) => ({
      kind,
      heading: kindHeading(kind),
      items: chosen.filter((o) => o.kind === kind).map((o) => eventView(o, variant, win, settings)),
    }))
    .filter((s) => s.items.length > 0);
  const counts: Record<string, number> = {};
  for (const s of sections) counts[s.kind] = s.items.length;
  const labels = windowLabels(win);
  const summary = summaryText(counts, settings.kinds) || 'nothing scheduled';
  const fill = (t: string) =>
    t
      .replaceAll('{{summary}}', summary)
      .replaceAll('{{window}}', labels.short)
      .replaceAll('{{windowWithYear}}', labels.long)
      .replaceAll('{{listName}}', settings.listName);
  const titles = chosen.map((o) => o.title);
  const preheader = titles.length === 0 ? `Nothing scheduled ${labels.short}.` : `${titleCase(summary)}: ${titles.slice(0, 3).join(', ')}${titles.length > 3 ? ` and ${titles.length - 3} more` : ''}.`;
  return {
    listName: guard(settings.listName),
    windowLabel: labels.long,
    subject: guard(headerText(fill(settings.subject))),
    preheader: guard(headerText(preheader)),
    intro: guard(settings.intro),
    sections,
    saveTheDate: selection.saveTheDate
      .filter((o) => wants(variant, o.kind))
      .map((o) => ({
        title: guard(o.title),
        when: whenText(o, variant.zone, win).when,
        where: guard(locationText(o.location) ?? '') || undefined,
        url: guard(o.links.find((l) => l.url && isAllowedUrl(l.url))?.url ?? '') || undefined,
      })),
    allied: settings.alliedCalendars.map((a) => ({ name: guard(a.name), label: guard(a.label ?? `See also the calendar of ${a.name}.`), url: guard(a.url) })),
    postalAddress: guard(settings.postalAddress),
    whyText: guard(fill(settings.whyText)),
    archiveUrl: new URL(`archive/${win.startDate}`, settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`).toString(),
    zoneNote: `Online events are shown in your time zone, ${variant.zone.replace(/_/g, ' ')} (${zoneAbbreviation(win.startMs, variant.zone)}); in-person ones in the venue's.`,
    counts,
    total: chosen.length,
    quiet: chosen.length === 0,
  };
}
