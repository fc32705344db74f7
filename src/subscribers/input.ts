// Validation of what a person typed or a CSV row holds into SubscriberFields; returns every problem, not the first.
import { isIanaZone } from '../calendar/iana-zones.ts';
import { hasInvisibleFormatting } from '../control-chars.ts';
import { addressProblem, hasLineBreak } from './address.ts';
import { DigestError } from '../errors.ts';
import type { ReaderLocation, SubscriberFields } from './model.ts';

export const MAX_NAME_LENGTH = 200;

/** Raw text as given; `undefined` means "not given" (keep the stored value), unlike an empty name. */
export interface RawSubscriber {
  email: string;
  name?: string;
  /** Given apart from the name (an import's first-name column). */
  firstName?: string;
  timezone?: string;
  /** Kind names, already split; `all` alone means every configured kind. */
  kinds?: string[];
  /** A place as typed ("Columbus, OH", "43215"); blank clears the stored one. */
  location?: string;
  /** Whole number in the list's unit; blank clears it (the list's `radius` then). */
  radius?: string;
}

export interface FieldProblem {
  field: 'email' | 'name' | 'firstName' | 'timezone' | 'kinds' | 'location' | 'radius';
  message: string;
}

export const MAX_RADIUS = 20000;

/** Turns typed text into a place, or throws DigestError('UNKNOWN_PLACE') (src/places: the gazetteer loads on first use). */
export interface PlaceLookup {
  resolve(text: string): Promise<{ place: ReaderLocation; note?: string }>;
}

export type CheckedSubscriber = { ok: true; fields: SubscriberFields } | { ok: false; problems: FieldProblem[] };

export function checkSubscriber(raw: RawSubscriber, configuredKinds: readonly string[]): CheckedSubscriber {
  const problems: FieldProblem[] = [];
  // Line breaks are checked before trimming: a trailing CR/LF is an injection attempt, not whitespace.
  const email = hasLineBreak(raw.email) ? raw.email : raw.email.trim();
  const bad = addressProblem(email);
  if (bad) problems.push({ field: 'email', message: bad });

  const name = checkName(raw.name, 'name', 'the name', problems);
  const firstName = checkName(raw.firstName, 'firstName', 'the first name', problems);

  let timezone: string | undefined;
  if (raw.timezone !== undefined && raw.timezone.trim() !== '') {
    const zone = raw.timezone.trim();
    if (isIanaZone(zone)) timezone = canonicalZoneCase(zone);
    else problems.push({ field: 'timezone', message: `unknown time zone '${zone}'` });
  }

  let kinds: string[] | undefined;
  if (raw.kinds !== undefined) {
    const given = raw.kinds.map((k) => k.trim()).filter((k) => k !== '');
    if (given.length === 1 && given[0] === 'all' && !configuredKinds.includes('all')) {
      kinds = [];
    } else {
      const unknown = given.filter((k) => !configuredKinds.includes(k));
      for (const k of unknown) problems.push({ field: 'kinds', message: `unknown kind '${k}' (kinds: ${configuredKinds.join(', ')})` });
      // Stored in the configured order so equal choices compare equal; an empty list means all.
      if (unknown.length === 0) kinds = configuredKinds.filter((k) => given.includes(k));
    }
  }

  let radius: number | null | undefined;
  if (raw.radius !== undefined) {
    const r = raw.radius.trim();
    if (r === '') radius = null;
    else if (/^\d+$/.test(r) && Number(r) >= 1 && Number(r) <= MAX_RADIUS) radius = Number(r);
    else problems.push({ field: 'radius', message: `radius '${r}' is not a whole number from 1 to ${MAX_RADIUS}` });
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, fields: { email, name, timezone, kinds, ...(firstName !== undefined ? { firstName } : {}), ...(radius !== undefined ? { radius } : {}) } };
}

/**
 * checkSubscriber, and the location resolved through `places` (only when one is typed: the gazetteer is not
 * loaded otherwise). An unknown place is a problem of the `location` field with the resolver's own words, so
 * the CLI, an import and the web forms all say the same. `note` says which of several places of that name was taken.
 */
export async function checkSubscriberWithPlace(raw: RawSubscriber, configuredKinds: readonly string[], places: PlaceLookup): Promise<CheckedSubscriber & { note?: string }> {
  const checked = checkSubscriber(raw, configuredKinds);
  const text = raw.location?.trim();
  if (text === undefined) return checked;
  let found: { location: ReaderLocation | null; note?: string } | FieldProblem;
  if (text === '') found = { location: null };
  else if (hasLineBreak(text) || /[\u0000-\u001f\u007f-\u009f]/.test(text) || hasInvisibleFormatting(text)) found = { field: 'location', message: 'the location contains a control or invisible character' };
  else {
    try {
      const r = await places.resolve(text);
      found = { location: r.place, note: r.note };
    } catch (e) {
      if (!(e instanceof DigestError && e.code === 'UNKNOWN_PLACE')) throw e;
      found = { field: 'location', message: e.message };
    }
  }
  if ('field' in found) return { ok: false, problems: [...(checked.ok ? [] : checked.problems), found] };
  if (!checked.ok) return checked;
  return { ok: true, fields: { ...checked.fields, location: found.location }, ...(found.note ? { note: found.note } : {}) };
}

/** A name as typed: trimmed, empty is null (cleared), undefined is "not given"; line breaks and control characters refused. */
function checkName(raw: string | undefined, field: 'name' | 'firstName', what: string, problems: FieldProblem[]): string | null | undefined {
  if (raw === undefined) return undefined;
  if (hasLineBreak(raw)) problems.push({ field, message: `${what} contains a line break` });
  else if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) problems.push({ field, message: `${what} contains a control character` });
  // Invisible: a name that reorders the text around it, or looks like another name and is not.
  else if (hasInvisibleFormatting(raw)) problems.push({ field, message: `${what} contains a bidi override or a zero-width character` });
  else if (raw.trim().length > MAX_NAME_LENGTH) problems.push({ field, message: `${what} is longer than ${MAX_NAME_LENGTH} characters` });
  else return raw.trim() === '' ? null : raw.trim();
  return undefined;
}

/** `a,b` on the command line, `a;b` in a CSV cell. */
export function splitKinds(text: string, separator: ',' | ';'): string[] {
  return text.split(separator).map((k) => k.trim()).filter((k) => k !== '');
}

/** `america/new_york` → `America/New_York`, but never swaps one zone for another (`US/Eastern` stays). */
function canonicalZoneCase(zone: string): string {
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}
