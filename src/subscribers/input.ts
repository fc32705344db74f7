// Validation of what a person typed or a CSV row holds into SubscriberFields; returns every problem, not the first.
import { isIanaZone } from '../calendar/wall-time.ts';
import { hasInvisibleFormatting } from '../control-chars.ts';
import { addressProblem, hasLineBreak } from './address.ts';
import type { SubscriberFields } from './model.ts';

export const MAX_NAME_LENGTH = 200;

/** Raw text as given; `undefined` means "not given" (keep the stored value), unlike an empty name. */
export interface RawSubscriber {
  email: string;
  name?: string;
  timezone?: string;
  /** Kind names, already split; `all` alone means every configured kind. */
  kinds?: string[];
}

export interface FieldProblem {
  field: 'email' | 'name' | 'timezone' | 'kinds';
  message: string;
}

export type CheckedSubscriber = { ok: true; fields: SubscriberFields } | { ok: false; problems: FieldProblem[] };

export function checkSubscriber(raw: RawSubscriber, configuredKinds: readonly string[]): CheckedSubscriber {
  const problems: FieldProblem[] = [];
  // Line breaks are checked before trimming: a trailing CR/LF is an injection attempt, not whitespace.
  const email = hasLineBreak(raw.email) ? raw.email : raw.email.trim();
  const bad = addressProblem(email);
  if (bad) problems.push({ field: 'email', message: bad });

  let name: string | null | undefined;
  if (raw.name !== undefined) {
    if (hasLineBreak(raw.name)) problems.push({ field: 'name', message: 'the name contains a line break' });
    else if (/[\u0000-\u001f\u007f-\u009f]/.test(raw.name)) problems.push({ field: 'name', message: 'the name contains a control character' });
    // Invisible: a name that reorders the text around it, or looks like another name and is not.
    else if (hasInvisibleFormatting(raw.name)) problems.push({ field: 'name', message: 'the name contains a bidi override or a zero-width character' });
    else if (raw.name.trim().length > MAX_NAME_LENGTH) problems.push({ field: 'name', message: `the name is longer than ${MAX_NAME_LENGTH} characters` });
    else name = raw.name.trim() === '' ? null : raw.name.trim();
  }

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

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, fields: { email, name, timezone, kinds } };
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
