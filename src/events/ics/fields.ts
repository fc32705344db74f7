// The guesses that turn a foreign VEVENT's properties into our fields (kind, conference link, links), and the locator.
import type { EventStatus, Link, Locator } from '../model.ts';
import type { RawComponent } from './scan.ts';
import type { ComponentReader } from './reader.ts';
import { isAllowedUrl } from '../rules/link-urls.ts';

export function statusOf(value: string | undefined): EventStatus | undefined {
  switch (value?.trim().toUpperCase()) {
    case 'CANCELLED':
      return 'cancelled';
    case 'TENTATIVE':
      return 'tentative';
    case 'CONFIRMED':
      return 'confirmed';
    default:
      return undefined;
  }
}

/** The first category naming a configured kind (or its plural: "Webinars") is the kind; the rest are tags. */
export function kindAndTags(categories: string[], kinds: string[], defaultKind: string): { kind: string; tags: string[] } {
  const names = categories.map((c) => c.trim()).filter((c) => c !== '');
  for (let i = 0; i < names.length; i++) {
    const c = names[i].toLowerCase();
    const kind = kinds.find((k) => {
      const lk = k.toLowerCase();
      return c === lk || c === `${lk}s` || c === `${lk}es`;
    });
    if (kind !== undefined) return { kind, tags: names.filter((_, j) => j !== i) };
  }
  return { kind: defaultKind, tags: names };
}

/** The first http(s) conference link among the properties Google, Outlook and RFC 7986 use. */
export function conferenceUrl(r: ComponentReader): string | undefined {
  for (const name of ['X-GOOGLE-CONFERENCE', 'X-MICROSOFT-SKYPETEAMSMEETINGURL', 'CONFERENCE']) {
    for (const p of r.all(name)) {
      const v = r.value(p);
      if (typeof v === 'string' && /^https?:\/\//i.test(v.trim())) return v.trim();
    }
  }
  return undefined;
}

/** URL values as links; one that is not http(s) or mailto (a feed wrote "URL:F") is left out with a warning. */
export function linksOf(r: ComponentReader): Link[] {
  const urls = r.texts('URL').map((u) => u.trim());
  for (const bad of urls.filter((u) => !isAllowedUrl(u))) r.warnings.push({ line: r.line('URL') ?? r.raw.line, message: `URL ${JSON.stringify(bad)} is not an http, https or mailto address; left out` });
  return urls.filter(isAllowedUrl).map((url) => ({ label: 'Website', url }));
}

/** ORGANIZER's common name, else its address without "mailto:". */
export function organizerOf(r: ComponentReader): string | undefined {
  const p = r.first('ORGANIZER');
  if (!p) return undefined;
  const cn = r.param(p, 'cn')?.trim();
  if (cn) return cn;
  const v = r.value(p);
  const address = typeof v === 'string' ? v.replace(/^mailto:/i, '').trim() : '';
  return address || undefined;
}

/** Which property holds each top-level field, in order of preference. */
const FIELD_PROPERTIES: Record<string, readonly string[]> = {
  id: ['UID'],
  title: ['SUMMARY'],
  start: ['DTSTART'],
  end: ['DTEND', 'DURATION'],
  allDay: ['DTSTART'],
  timezone: ['DTSTART'],
  recurrenceId: ['RECURRENCE-ID'],
  recurrence: ['RRULE', 'RDATE', 'EXDATE'],
  links: ['URL', 'X-EVENT-DIGEST-DATA'],
  location: ['LOCATION', 'GEO', 'X-GOOGLE-CONFERENCE', 'X-EVENT-DIGEST-DATA'],
  scope: ['X-EVENT-DIGEST-SCOPE', 'X-EVENT-DIGEST-DATA'],
  kind: ['CATEGORIES', 'X-EVENT-DIGEST-DATA'],
  tags: ['CATEGORIES', 'X-EVENT-DIGEST-DATA'],
  description: ['DESCRIPTION'],
  status: ['STATUS'],
  organizer: ['ORGANIZER', 'X-EVENT-DIGEST-DATA'],
  listAs: ['X-EVENT-DIGEST-DATA'],
  saveTheDate: ['X-EVENT-DIGEST-DATA'],
};

export interface LocatorParts {
  /** The physical line of the property behind each exdate / rdate, by index. */
  exdateLines?: number[];
  rdateLines?: number[];
  overrides?: { locate?: Locator; line: number }[];
}

/** Field path → the line of the property that gave it, else the BEGIN:VEVENT line. */
export function makeLocator(raw: RawComponent, parts: LocatorParts = {}): Locator {
  // Built on first use: `check` locates a finding on many events of a big calendar, and most are never asked.
  let firstLines: Map<string, number> | undefined;
  const lineOf = (name: string) => {
    if (!firstLines) {
      firstLines = new Map();
      for (const p of raw.properties) if (!firstLines.has(p.name)) firstLines.set(p.name, p.line);
    }
    return firstLines.get(name);
  };
  return (path) => {
    const [field, sub, index] = path;
    const at = (line: number | undefined) => ({ line: line ?? raw.line, col: 1 });
    if (field === 'overrides' && typeof sub === 'number') {
      const o = parts.overrides?.[sub];
      if (!o) return at(undefined);
      return path.length > 2 && o.locate ? o.locate(path.slice(2)) : at(o.line);
    }
    if (field === 'recurrence' && (sub === 'exdates' || sub === 'rdates')) {
      const lines = sub === 'exdates' ? parts.exdateLines : parts.rdateLines;
      const line = typeof index === 'number' ? lines?.[index] : undefined;
      return at(line ?? lineOf(sub === 'exdates' ? 'EXDATE' : 'RDATE'));
    }
    const names = typeof field === 'string' ? FIELD_PROPERTIES[field] ?? [] : [];
    return at(names.map(lineOf).find((l) => l !== undefined));
  };
}
