// A place as a person writes it ("Columbus, OH", "43215", "Berlin, Germany", "Washington, DC") → a named point,
// the most populous match when several share the name, or an error that quotes the text and names close matches.
import { DigestError } from '../errors.ts';
import type { Gazetteer, Point, Town } from './gazetteer.ts';
import { nameKey, usState } from './names.ts';

/** A resolved place: what is stored for a reader (never the text typed, never a street address). */
export interface Place extends Point {
  /** "Columbus, OH", "Berlin, Germany", "Columbus, OH 43215". */
  name: string;
}

export interface Resolution {
  place: Place;
  /** Said when the name was ambiguous: which one was taken, and how to choose another. */
  note?: string;
}

const ZIP = /^(?:(.*?)[\s,]+)?(\d{5})(?:-\d{4})?$/;
const COORDS = /^(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)$/;
const MAX_TEXT = 200;

/** "Columbus, OH" for a US town ("Washington, D.C." too becomes "Washington, DC"), "Berlin, Germany" elsewhere. */
export function townName(gaz: Gazetteer, t: Town): string {
  return t.country === 'US' ? `${t.name.split(',')[0]}, ${t.region}` : `${t.name}, ${gaz.countries.name(t.country)}`;
}

const quote = (text: string) => `'${text.replace(/[\u0000-\u001f\u007f]/g, ' ')}'`;

/** Does a qualifier ("OH", "Ohio", "Germany", "DE") fit the town? A US state or a country, whichever it names. */
function fits(gaz: Gazetteer, t: Town, qualifier: string): boolean {
  const country = gaz.countries.code(qualifier);
  const state = usState(qualifier);
  return t.country === country || (t.country === 'US' && t.region === state) || nameKey(t.region) === nameKey(qualifier);
}

const byPopulation = (a: Town, b: Town) => b.population - a.population;

/** Resolves the text, or throws DigestError('UNKNOWN_PLACE') quoting it, with close matches when there are some. */
export async function resolvePlace(gaz: Gazetteer, input: string): Promise<Resolution> {
  const found = await findPlace(gaz, input);
  if ('place' in found) return found;
  throw await unknownPlace(gaz, found.text, found.city, found.qualifiers, found.sameName);
}

type Miss = { text: string; city: string; qualifiers: string[]; sameName: readonly Town[] };

/** The resolution, or what was looked for (no suggestions: guessing at an event's free text must stay cheap). */
export async function findPlace(gaz: Gazetteer, input: string): Promise<Resolution | Miss> {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '') throw new DigestError('UNKNOWN_PLACE', 'no place given (a town and its state or country, e.g. "Columbus, OH", or a US ZIP code)');
  if (text.length > MAX_TEXT) throw new DigestError('UNKNOWN_PLACE', `place ${quote(text.slice(0, 40) + '…')} is longer than ${MAX_TEXT} characters`);

  const zip = ZIP.exec(text);
  if (zip) {
    const found = await gaz.zip(zip[2]);
    if (!found) throw new DigestError('UNKNOWN_PLACE', `unknown place ${quote(text)}: no US ZIP code ${zip[2]}`);
    return { place: { name: `${found.city}, ${found.state} ${found.zip}`, lat: found.lat, lon: found.lon } };
  }
  const coords = COORDS.exec(text);
  if (coords) {
    const [lat, lon] = [Number(coords[1]), Number(coords[2])];
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) throw new DigestError('UNKNOWN_PLACE', `place ${quote(text)}: not a latitude,longitude pair`);
    const town = await gaz.nearest({ lat, lon });
    return { place: { name: town ? `near ${townName(gaz, town)}` : `${lat}, ${lon}`, lat, lon } };
  }

  // The whole text may be a name ("Washington, D.C."); else a name, then a state and/or country.
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  let city = parts[0];
  let qualifiers = parts.slice(1);
  let towns = gaz.named(text);
  if (towns.length > 0) qualifiers = [];
  else if (parts.length === 1 && / /.test(text)) {
    // "Columbus OH", "Berlin Germany": a last word that is a state or country qualifies the rest.
    const cut = text.lastIndexOf(' ');
    const last = text.slice(cut + 1);
    if (usState(last) || gaz.countries.code(last)) [city, qualifiers] = [text.slice(0, cut), [last]];
  }
  if (towns.length === 0) towns = gaz.named(city);
  const matching = towns.filter((t) => qualifiers.every((q) => fits(gaz, t, q))).sort(byPopulation);
  if (matching.length === 0) return { text, city, qualifiers, sameName: towns };
  const [taken] = matching;
  const place = { name: townName(gaz, taken), lat: taken.lat, lon: taken.lon };
  if (matching.length === 1) return { place };
  const how = qualifiers.length === 0 ? 'add the state or country to choose another' : 'give the town more exactly to choose another';
  return { place, note: `${quote(text)} is ${place.name}, the largest of ${matching.length} places of that name (${how})` };
}

/** The error for a place not found: the text quoted, and up to three towns it may have meant. */
async function unknownPlace(gaz: Gazetteer, text: string, city: string, qualifiers: string[], sameName: readonly Town[]): Promise<DigestError> {
  const suggestions = (sameName.length > 0 ? [...sameName] : await closeTowns(gaz, city, qualifiers)).sort(byPopulation).slice(0, 3).map((t) => townName(gaz, t));
  const unique = [...new Set(suggestions)];
  const hint = unique.length > 0 ? `; did you mean ${unique.join(' or ')}?` : ' (give a town and its state or country, e.g. "Columbus, OH", or a US ZIP code)';
  return new DigestError('UNKNOWN_PLACE', `unknown place ${quote(text)}${hint}`);
}

/** Towns whose name is one or two edits away (the qualifiers' towns first): a typo, not a guess. */
async function closeTowns(gaz: Gazetteer, city: string, qualifiers: string[]): Promise<Town[]> {
  const key = nameKey(city);
  if (key.length < 3) return [];
  // Only a place not found needs it.
  const { distance: editDistance } = await import('fastest-levenshtein');
  const limit = key.length <= 5 ? 1 : 2;
  const scored: { towns: readonly Town[]; d: number }[] = [];
  for (const k of gaz.keys()) {
    if (Math.abs(k.length - key.length) > limit) continue;
    const d = editDistance(k, key);
    if (d <= limit) scored.push({ towns: gaz.named(k), d });
  }
  scored.sort((a, b) => a.d - b.d);
  const nearest = scored.filter((s) => s.d === scored[0]?.d).flatMap((s) => s.towns);
  const qualified = nearest.filter((t) => qualifiers.every((q) => fits(gaz, t, q)));
  return qualified.length > 0 ? qualified : nearest;
}
