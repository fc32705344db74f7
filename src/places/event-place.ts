// Where an in-person event is: `location.geo` (YAML/JSON) or GEO (ICS), else its city/region/country, else its
// LOCATION text through the gazetteer; and the `check` warning for an in-person event that none of these places.
import { DigestError } from '../errors.ts';
import type { Finding } from '../events/finding.ts';
import type { CalendarEvent, Location } from '../events/model.ts';
import type { Selection } from '../calendar/select.ts';
import type { DistanceUnit } from './distance.ts';
import { loadGazetteer, type Gazetteer, type Point } from './gazetteer.ts';
import type { Nearby } from './nearby.ts';
import { findPlace } from './resolve.ts';

const filled = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/** Listed to every reader: a national event, or one you join online (hybrid ones too). */
export function isEverywhere(ev: CalendarEvent): boolean {
  return ev.scope === 'national' || ev.location?.online === true;
}

/** An event readers go to, which has a distance from them. */
export function isInPerson(ev: CalendarEvent): boolean {
  return !isEverywhere(ev) && ev.location !== undefined;
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
  const l = ev.location;
  if (!l) return undefined;
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

/** Every in-person event's point, by event id (events that have none are left out). */
export async function eventPoints(gaz: Gazetteer | undefined, events: readonly CalendarEvent[]): Promise<Map<string, Point>> {
  const points = new Map<string, Point>();
  for (const ev of events) {
    if (!isInPerson(ev) || points.has(ev.id)) continue;
    const p = gaz ? await eventPoint(gaz, ev) : ev.location?.geo;
    if (p) points.set(ev.id, p);
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
  return events.some((ev) => isInPerson(ev) && !ev.location?.geo);
}

/** `check`'s warning, located like every finding (the location's line; ICS: the UID). */
export async function unplacedFindings(gaz: Gazetteer, events: readonly CalendarEvent[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const ev of events) {
    if (!isInPerson(ev) || (await eventPoint(gaz, ev))) continue;
    const at = ev.source.locate(['location']);
    const uid = ev.source.uid ? `event UID ${ev.source.uid}: ` : '';
    findings.push({
      path: ev.source.path,
      line: at.line,
      col: at.col,
      severity: 'warning',
      message: `${uid}event '${ev.title}': its place is not known to the gazetteer, so readers with a location get it with no distance, whatever their radius (add location.geo {lat, lon}, a city with its region or country, or for ICS a GEO property)`,
    });
  }
  return findings;
}
