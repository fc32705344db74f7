// Where an in-person event is: `location.geo` (YAML/JSON) or GEO (ICS), else its city/region/country, else its
// LOCATION text through the gazetteer; an instance an override holds elsewhere is where its own location says. And
// the `check` warning for an in-person event (or instance) that none of these places.
import { DigestError } from '../errors.ts';
import type { Finding } from '../events/finding.ts';
import { instancePlace, placeKey } from '../events/location.ts';
import type { CalendarEvent, Location, Override } from '../events/model.ts';
import type { Selection } from '../calendar/select.ts';
import { wallToFloatingMs } from '../calendar/wall-time.ts';
import type { DistanceUnit } from './distance.ts';
import { loadGazetteer, type Gazetteer, type Point } from './gazetteer.ts';
import type { Nearby } from './nearby.ts';
import { findPlace } from './resolve.ts';

const filled = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/** What is listed to readers by place: an event, or one occurrence of it (whose location an override may have changed). */
export interface Placed {
  event: CalendarEvent;
  location?: Location;
}

/** Listed to every reader: a national event, or one you join online (hybrid ones too). */
export function isEverywhere(ev: CalendarEvent): boolean {
  return isEverywhereAt(atOwnPlace(ev));
}

/** An event readers go to, which has a distance from them. */
export function isInPerson(ev: CalendarEvent): boolean {
  return isInPersonAt(atOwnPlace(ev));
}

/** The event at its own location (a one-off, a campaign, an instance no override moved). */
export const atOwnPlace = (ev: CalendarEvent): Placed => ({ event: ev, location: ev.location });

/** The same for an occurrence: its own location decides (an instance of a local series may be held online). */
export function isEverywhereAt(p: Placed): boolean {
  return p.event.scope === 'national' || p.location?.online === true;
}

export function isInPersonAt(p: Placed): boolean {
  return !isEverywhereAt(p) && p.location !== undefined;
}

/** One instance of an event as an issue listed it (`recurrenceId` from its snapshot): at its override's location, if that has one. */
export function instanceAt(ev: CalendarEvent, recurrenceId: string | undefined): Placed {
  const rid = recurrenceId === undefined ? undefined : wallToFloatingMs(recurrenceId);
  const ov = ev.overrides.find((o) => o.location !== undefined && wallToFloatingMs(o.recurrenceId) === rid);
  return ov ? overridePlace(ev, ov) : atOwnPlace(ev);
}

/** Where an override with a location holds its instance: as the occurrence is expanded (calendar/occurrence.ts). */
function overridePlace(ev: CalendarEvent, o: Override): Placed {
  return { event: ev, location: instancePlace(o.location as Location, ev.location) };
}

/** The texts to try, most exact first: the structured fields, then the tail of the free text ("…, Columbus, OH"). */
function candidates(l: Location): string[] {
  const out: string[] = [];
  if (filled(l.city)) out.push([l.city, l.region, l.country].filter(filled).join(', '));
  const free = [l.venue, l.address].filter(filled).join(', ');
  const parts = free.split(',').map((p) => p.trim()).filter((p) => p !== '');
  // "12 Elm St, Columbus, OH 43215": the ZIP is the best guess; then the last three, two, one parts.
  if (/\b\d{5}(?:-\d{4})?$/.test(free)) out.push(free);
  for (let k = Math.min(3, parts.length); k >= 1; k--) out.push(parts.slice(-k).join(', ').replace(/\s+\d{5}(?:-\d{4})?$/, ''));
  return out;
}

/** The event's point, or undefined when nothing in its location names a known place. */
export async function eventPoint(gaz: Gazetteer, ev: CalendarEvent): Promise<Point | undefined> {
  return ev.location && locationPoint(gaz, ev.location);
}

async function locationPoint(gaz: Gazetteer, l: Location): Promise<Point | undefined> {
  if (l.geo) return l.geo;
  for (const text of candidates(l)) {
    try {
      const found = await findPlace(gaz, text);
      if ('place' in found) return { lat: found.place.lat, lon: found.place.lon };
    } catch (e) {
      if (!(e instanceof DigestError)) throw e;
    }
  }
  return undefined;
}

/** An event and each of its overrides that has a location of its own: every place its occurrences can be at. */
function placesOf(ev: CalendarEvent): Placed[] {
  return [atOwnPlace(ev), ...ev.overrides.filter((o) => o.location !== undefined).map((o) => overridePlace(ev, o))];
}

/**
 * The point of every in-person place of these events and their overrides, by placeKey (places that have none are
 * left out): an occurrence is looked up by its own location, so a week moved to another city is measured from there.
 */
export async function eventPoints(gaz: Gazetteer | undefined, events: readonly CalendarEvent[]): Promise<Map<string, Point>> {
  const points = new Map<string, Point>();
  const tried = new Set<string>();
  for (const p of events.flatMap(placesOf)) {
    if (!isInPersonAt(p)) continue;
    const key = placeKey(p.location as Location);
    if (tried.has(key)) continue;
    tried.add(key);
    const point = gaz ? await locationPoint(gaz, p.location as Location) : p.location?.geo;
    if (point) points.set(key, point);
  }
  return points;
}

/** The points of an issue's events, for every reader with a place: the gazetteer loads only if an event needs it. */
export async function issueNearby(selection: Selection, unit: DistanceUnit): Promise<Nearby> {
  // "Save the date" entries are in-person events too: a reader far away is not asked to save the date of a local one.
  const events = [...new Set([...selection.occurrences, ...selection.saveTheDate].map((o) => o.event))];
  const gaz = needsGazetteer(events) ? await loadGazetteer() : undefined;
  return { unit, points: await eventPoints(gaz, events) };
}

/** Does any in-person event need the gazetteer (no coordinates of its own)? `check` loads it only then. */
export function needsGazetteer(events: readonly CalendarEvent[]): boolean {
  return events.some((ev) => placesOf(ev).some((p) => isInPersonAt(p) && !p.location?.geo));
}

/** `check`'s warning, located like every finding (the location's line; ICS: the UID); an override's at its own location. */
export async function unplacedFindings(gaz: Gazetteer, events: readonly CalendarEvent[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const uid = (ev: CalendarEvent) => (ev.source.uid ? `event UID ${ev.source.uid}: ` : '');
  const warn = (ev: CalendarEvent, at: { line: number; col: number }, what: string) =>
    findings.push({
      path: ev.source.path,
      line: at.line,
      col: at.col,
      severity: 'warning',
      message: `${uid(ev)}event '${ev.title}'${what}: its place is not known to the gazetteer, so readers with a location get it with no distance, whatever their radius (add location.geo {lat, lon}, a city with its region or country, or for ICS a GEO property)`,
    });
  // A big calendar names a few hundred places for thousands of events: each is looked up once.
  const points = new Map<string, Promise<Point | undefined>>();
  const pointOf = (l: Location) => {
    const key = placeKey(l);
    let point = points.get(key);
    if (!point) points.set(key, (point = locationPoint(gaz, l)));
    return point;
  };
  for (const ev of events) {
    if (isInPerson(ev) && !(await pointOf(ev.location as Location))) warn(ev, ev.source.locate(['location']), '');
    for (const [i, o] of ev.overrides.entries()) {
      if (o.location === undefined) continue;
      const p = overridePlace(ev, o);
      if (!isInPersonAt(p) || (await pointOf(p.location as Location))) continue;
      warn(ev, (o.locate ?? ev.source.locate)(['location']), ` (override ${i + 1}, ${o.recurrenceId})`);
    }
  }
  return findings;
}
