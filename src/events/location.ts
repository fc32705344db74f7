// A Location as one line of text, the way listings and calendar apps show it.
import type { Location } from './model.ts';

/** "Venue, City, Region", or undefined when none of them is given. */
export function placeText(l: Location | undefined): string | undefined {
  if (!l) return undefined;
  const parts = [l.venue, l.city, l.region].filter((p): p is string => p !== undefined && p.trim() !== '');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** What a reader is told: the place, or "Online" (with the place, if it has one too). */
export function locationText(l: Location | undefined): string | null {
  const place = placeText(l);
  if (l?.online) return place ? `Online (${place})` : 'Online';
  return place ?? null;
}
