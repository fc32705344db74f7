// Great-circle distance between two points, in the list's unit, and as a reader reads it ("12 mi away").
import type { Point } from './gazetteer.ts';

export type DistanceUnit = 'mi' | 'km';

/** The mean Earth radius (IUGG), in km. */
const EARTH_KM = 6371.0088;
const KM_PER_MILE = 1.609344;

/** Haversine distance in km. */
export function distanceKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function distanceIn(a: Point, b: Point, unit: DistanceUnit): number {
  const km = distanceKm(a, b);
  return unit === 'km' ? km : km / KM_PER_MILE;
}

/** "12 mi away", "less than 1 km away". */
export function distanceText(d: number, unit: DistanceUnit): string {
  return d < 0.5 ? `less than 1 ${unit} away` : `${Math.round(d)} ${unit} away`;
}
