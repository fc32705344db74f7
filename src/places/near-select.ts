// `select --near` and `preview --near`: a place typed on the command line as a reader's place, and the selection as
// a reader there would get it (local events within the radius, nearest first; national and online ones always).
import type { Occurrence } from '../calendar/occurrence.ts';
import type { Selection } from '../calendar/select.ts';
import type { DistanceUnit } from './distance.ts';
import { issueNearby } from './event-place.ts';
import { loadGazetteer } from './gazetteer.ts';
import { byDistance, nearness, type Nearby, type ReaderPlace } from './nearby.ts';
import { resolvePlace } from './resolve.ts';

/** The place typed, resolved (DigestError('UNKNOWN_PLACE') quoting it otherwise), with the radius given or the list's. */
export async function readerPlaceFor(text: string, radius: number): Promise<{ near: ReaderPlace; note?: string }> {
  const { place, note } = await resolvePlace(await loadGazetteer(), text);
  return { near: { ...place, radius }, ...(note ? { note } : {}) };
}

export interface NearOccurrence {
  occurrence: Occurrence;
  /** In the unit, to a tenth; null for an event with no distance (national, online, or not placed). */
  distance: number | null;
}

export interface NearSelection {
  nearby: Nearby;
  /** What a reader there gets: nearest first, then the events with no distance in date order. */
  occurrences: NearOccurrence[];
  saveTheDate: NearOccurrence[];
  /** Local in-person occurrences beyond the radius, left out. */
  beyond: number;
}

const tenth = (d: number | undefined) => (d === undefined ? null : Math.round(d * 10) / 10);

export async function nearSelection(selection: Selection, near: ReaderPlace, unit: DistanceUnit): Promise<NearSelection> {
  const nearby = await issueNearby(selection, unit);
  let beyond = 0;
  const listed: { occurrence: Occurrence; d?: number }[] = [];
  for (const o of selection.occurrences) {
    const n = nearness(o, near, nearby);
    if (n.listed) listed.push({ occurrence: o, d: n.distance });
    else beyond++;
  }
  const occurrences = byDistance(listed, (x) => x.d).map((x) => ({ occurrence: x.occurrence, distance: tenth(x.d) }));
  // Save the date is not cut by place (the digest lists it whole), but says how far each one is.
  const saveTheDate = selection.saveTheDate.map((o) => ({ occurrence: o, distance: tenth(nearness(o, near, nearby).distance) }));
  return { nearby, occurrences, saveTheDate, beyond };
}
