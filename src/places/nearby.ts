// What a reader with a place gets: in-person local events within their radius, with the distance; national and
// online ones always. Distances are per (reader's place, event's place): a variant (one place) computes each once for all its readers.
import { placeKey } from '../events/location.ts';
import type { Location } from '../events/model.ts';
import { distanceIn, type DistanceUnit } from './distance.ts';
import type { Point } from './gazetteer.ts';
import { isInPersonAt, type Placed } from './event-place.ts';

/** A reader's place and radius: a dimension of the digest's variants. */
export interface ReaderPlace extends Point {
  name: string;
  /** In the list's distance unit. */
  radius: number;
}

/** What belongs to the issue: the unit and the point of every in-person place its events are at, by placeKey (event-place.ts). */
export interface Nearby {
  unit: DistanceUnit;
  points: ReadonlyMap<string, Point>;
}

export interface Nearness {
  /** In the unit; undefined for an event with no distance (national, online, or a place the gazetteer lacks). */
  distance?: number;
  /** False: a local in-person event beyond the radius, left out. */
  listed: boolean;
}

/** How far an occurrence (or event) is from a reader: from its own location, which an override may have moved. */
export function nearness(at: Placed, reader: ReaderPlace, nearby: Nearby): Nearness {
  const point = isInPersonAt(at) ? nearby.points.get(placeKey(at.location as Location)) : undefined;
  if (!point) return { listed: true };
  const distance = distanceIn(reader, point, nearby.unit);
  // Rounded as shown: an event the mail calls "50 mi away" is within a 50 mi radius.
  return { distance, listed: Math.round(distance) <= reader.radius };
}

/** Nearest first; entries without a distance keep their order after them (a stable sort). */
export function byDistance<T>(items: readonly T[], distanceOf: (item: T) => number | undefined): T[] {
  const key = (item: T) => distanceOf(item) ?? Number.MAX_VALUE;
  return [...items].sort((a, b) => key(a) - key(b));
}
