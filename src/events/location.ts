// A Location as readers see it (one line, a street address, a map link), and the rule that tells an online one from free text.
import type { Location } from './model.ts';
import { WITHHELD_JOIN, WITHHELD_PLACE } from './private-details.ts';

const filled = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/** Whether two locations are one place to a reader: the same point, address and online-ness (an override may repeat its series' place). */
export function samePlace(a: Location | undefined, b: Location | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && placeKey(a) === placeKey(b));
}

/**
 * An override's place for its instance: the series' own when the override repeats the series' place without
 * its coordinates (Google and Outlook copy LOCATION into each override, never GEO), so the instance stays in
 * its series' entry and is measured from the same point; otherwise the override's.
 */
export function instancePlace(own: Location, series: Location | undefined): Location {
  if (own.geo || !series?.geo) return own;
  return samePlace({ ...own, geo: series.geo }, series) ? series : own;
}

const placeKeys = new WeakMap<Location, string>();

/** What says where a location is, as one string: equal for two locations at one place, whatever object holds them. */
export function placeKey(l: Location): string {
  let key = placeKeys.get(l);
  if (key === undefined) placeKeys.set(l, (key = JSON.stringify([l.online === true, l.geo?.lat, l.geo?.lon, l.venue, l.address, l.city, l.region, l.country])));
  return key;
}

/** "Venue, City, Region", or undefined when none of them is given. */
export function placeText(l: Location | undefined): string | undefined {
  if (!l) return undefined;
  if (l.withheld) return withheldText(l);
  const parts = [l.venue, l.city, l.region].filter(filled);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** What a reader is told: the place, or "Online" (with the place, if it has one too). */
export function locationText(l: Location | undefined): string | null {
  const place = placeText(l);
  if (l?.online) return place ? `Online (${place})` : 'Online';
  return place ?? null;
}

/** Where to go in person, written out whole: "Hall 2, 12 Elm St, Riverside, NY, USA"; undefined for an online-only event. */
export function fullAddress(l: Location | undefined): string | undefined {
  if (!l) return undefined;
  if (l.withheld) return l.online && !filled(l.city) && !filled(l.region) ? undefined : withheldText(l);
  // An online event's venue is the meeting service ("Zoom"), not a place, unless an address or city says otherwise.
  const physical = !l.online || filled(l.address) || filled(l.city);
  if (!physical) return undefined;
  const parts = [l.venue, l.address, l.city, l.region, l.country].filter(filled).map((s) => s.trim());
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** An OpenStreetMap search for the address: no account, no tracking parameters. */
export function mapUrl(l: Location | undefined): string | undefined {
  // A map of the city would only look like the place.
  if (l?.withheld) return undefined;
  const address = fullAddress(l);
  if (!address) return undefined;
  // Without a street the venue's own name finds it better than the bare city.
  const query = filled(l?.address) ? [l.address, l.city, l.region, l.country].filter(filled).join(', ') : address;
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(query)}`;
}

/** A private location's public line: "Springfield, IL · Exact place in the email to subscribers". */
function withheldText(l: Location): string {
  const area = [l.city, l.region].filter(filled).map((s) => s.trim()).join(', ');
  const line = l.online && area === '' ? WITHHELD_JOIN : WITHHELD_PLACE;
  return area === '' ? line : `${area} · ${line}`;
}

/** The link that joins an online event, when it has one. */
export function joinUrl(l: Location | undefined): string | undefined {
  return l?.online && filled(l.url) ? l.url.trim() : undefined;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/i;
/** Words that name an online meeting rather than a place. */
const ONLINE_WORDS = /\b(online|virtual|zoom|google meet|microsoft teams|teams|webex|jitsi)\b/i;
const MEETING_URL = /https?:\/\/[^\s<>"]*(?:teams\.microsoft\.com|teams\.live\.com|zoom\.us|meet\.google\.com|webex\.com)[^\s<>"]*/i;

export interface LocationHints {
  /** A calendar's conference property (Google Meet, Teams, RFC 7986 CONFERENCE). */
  conferenceUrl?: string;
  /** Where Outlook writes the Teams link of a "Microsoft Teams Meeting". */
  description?: string;
}

/**
 * A free-text location (ICS LOCATION, or a string in YAML) as a Location. Text that is a URL, holds one,
 * or names an online platform ("Online", "Zoom", "Google Meet", "Teams", "Virtual", any case) makes the
 * event online; the URL (or the conference property, or a meeting link in the description) is where to
 * join. Whatever text is left is kept as the venue.
 */
export function locationFromText(text: string | undefined, hints: LocationHints = {}): Location | undefined {
  const raw = text?.trim() ?? '';
  const found = URL_IN_TEXT.exec(raw)?.[0];
  // Punctuation after a URL ends the sentence, not the URL.
  const inText = found?.replace(/[.,;:)]+$/, '');
  const rest = (found ? raw.replace(found, ' ') : raw).replace(/^[\s,;:|/–—.-]+|[\s,;:|/–—.-]+$/g, '').replace(/\s{2,}/g, ' ');
  const venue = rest === '' || /^online$/i.test(rest) ? {} : { venue: rest };
  const url = inText ?? hints.conferenceUrl;
  if (url) return { ...venue, online: true, url };
  if (ONLINE_WORDS.test(raw)) {
    const fromDescription = MEETING_URL.exec(hints.description ?? '')?.[0];
    return { ...venue, online: true, ...(fromDescription ? { url: fromDescription } : {}) };
  }
  return raw === '' ? undefined : { venue: raw };
}
