// The X-EVENT-DIGEST-DATA and X-EVENT-DIGEST-ALLIED JSON our export writes, so our fields survive a round trip.
import type { AlliedCalendar, CalendarEvent, EventScope, Link, Location, Override } from '../model.ts';

/** On a master VEVENT: the fields iCalendar cannot carry faithfully. Present keys win over what the loader infers. */
export interface EventDigestData {
  v: 1;
  id?: string;
  kind?: string;
  /** Only for all-day events, whose DATE values carry no zone. */
  timezone?: string;
  location?: Location;
  links?: Link[];
  tags?: string[];
  organizer?: string;
  listAs?: 'occurrences' | 'span';
  saveTheDate?: boolean;
  scope?: EventScope;
}

/** The Override fields a RECURRENCE-ID VEVENT may carry. */
export type OverrideField = 'title' | 'start' | 'end' | 'status' | 'location' | 'description' | 'links';
const OVERRIDE_FIELDS: readonly OverrideField[] = ['title', 'start', 'end', 'status', 'location', 'description', 'links'];

/**
 * On an override VEVENT: which fields the override really sets (a VEVENT must carry DTSTART and
 * SUMMARY even when the override leaves them as they were), and its structured location and links.
 */
export interface OverrideDigestData {
  v: 1;
  fields: OverrideField[];
  location?: Location;
  links?: Link[];
}

export function eventDigestData(e: CalendarEvent): EventDigestData {
  const d: EventDigestData = { v: 1, id: e.id, kind: e.kind };
  if (e.allDay) d.timezone = e.timezone;
  if (e.location) d.location = e.location;
  d.links = e.links;
  d.tags = e.tags;
  if (e.organizer !== undefined) d.organizer = e.organizer;
  d.listAs = e.listAs;
  if (e.saveTheDate !== undefined) d.saveTheDate = e.saveTheDate;
  if (e.scope !== undefined) d.scope = e.scope;
  return d;
}

export function overrideDigestData(o: Override): OverrideDigestData {
  const d: OverrideDigestData = { v: 1, fields: OVERRIDE_FIELDS.filter((f) => o[f] !== undefined) };
  if (o.location) d.location = o.location;
  if (o.links) d.links = o.links;
  return d;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const LOCATION_TEXT = ['venue', 'address', 'city', 'region', 'country'] as const;

/** A clean copy with only the model's keys, or undefined when a key has the wrong type. */
function pickLocation(v: unknown): Location | undefined {
  if (!isObject(v)) return undefined;
  const out: Location = {};
  for (const k of LOCATION_TEXT) {
    if (v[k] === undefined) continue;
    if (!isString(v[k])) return undefined;
    out[k] = v[k];
  }
  if (v.online !== undefined) {
    if (typeof v.online !== 'boolean') return undefined;
    out.online = v.online;
  }
  if (v.url !== undefined) {
    if (!isString(v.url)) return undefined;
    out.url = v.url;
  }
  for (const k of ['private', 'withheld'] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== 'boolean') return undefined;
    out[k] = v[k];
  }
  if (v.geo !== undefined) {
    const geo = geoPoint(v.geo);
    if (!geo) return undefined;
    out.geo = geo;
  }
  return out;
}

/** {lat, lon} in range, or undefined. */
export function geoPoint(v: unknown): { lat: number; lon: number } | undefined {
  if (!isObject(v) || typeof v.lat !== 'number' || typeof v.lon !== 'number') return undefined;
  return Math.abs(v.lat) <= 90 && Math.abs(v.lon) <= 180 ? { lat: v.lat, lon: v.lon } : undefined;
}

function pickLinks(v: unknown): Link[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const links = v.filter((l): l is Link => isObject(l) && isString(l.label) && isString(l.url));
  return links.length === v.length ? links.map((l) => ({ label: l.label, url: l.url, ...(l.private === true ? { private: true } : {}) })) : undefined;
}

/** JSON.parse of a value that may still carry RFC 5545 text escapes (when VALUE=TEXT was lost on the way). */
function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return JSON.parse(value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c)));
  }
}

/** Keeps only well-typed keys, so a hand-edited value cannot put a wrong type into the model. Throws on bad JSON. */
export function parseEventDigestData(value: string): EventDigestData {
  const raw = parseJson(value);
  if (!isObject(raw)) throw new Error('not a JSON object');
  const d: EventDigestData = { v: 1 };
  if (isString(raw.id)) d.id = raw.id;
  if (isString(raw.kind)) d.kind = raw.kind;
  if (isString(raw.timezone)) d.timezone = raw.timezone;
  const location = pickLocation(raw.location);
  if (location) d.location = location;
  const links = pickLinks(raw.links);
  if (links) d.links = links;
  if (Array.isArray(raw.tags) && raw.tags.every(isString)) d.tags = raw.tags;
  if (isString(raw.organizer)) d.organizer = raw.organizer;
  if (raw.listAs === 'occurrences' || raw.listAs === 'span') d.listAs = raw.listAs;
  if (typeof raw.saveTheDate === 'boolean') d.saveTheDate = raw.saveTheDate;
  if (raw.scope === 'local' || raw.scope === 'national') d.scope = raw.scope;
  return d;
}

export function parseOverrideDigestData(value: string): OverrideDigestData {
  const raw = parseJson(value);
  if (!isObject(raw) || !Array.isArray(raw.fields)) throw new Error('not an override data object');
  const d: OverrideDigestData = {
    v: 1,
    fields: OVERRIDE_FIELDS.filter((f) => (raw.fields as unknown[]).includes(f)),
  };
  const location = pickLocation(raw.location);
  if (location) d.location = location;
  const links = pickLinks(raw.links);
  if (links) d.links = links;
  return d;
}

export function alliedCalendarData(a: AlliedCalendar): string {
  return JSON.stringify(a.label === undefined ? { name: a.name, url: a.url } : { name: a.name, label: a.label, url: a.url });
}

export function parseAlliedCalendar(value: string): AlliedCalendar {
  const raw = parseJson(value);
  if (!isObject(raw) || !isString(raw.name) || !isString(raw.url)) throw new Error('needs "name" and "url" strings');
  return isString(raw.label) ? { name: raw.name, label: raw.label, url: raw.url } : { name: raw.name, url: raw.url };
}
