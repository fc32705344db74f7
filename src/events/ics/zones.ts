// Maps the TZIDs that real calendar exports write (IANA, Windows, Mozilla-prefixed) to IANA zones.
import { findIana } from 'windows-iana';
import { isIanaZone } from '../../calendar/wall-time.ts';

/**
 * The IANA zone a TZID names, or undefined when nothing maps it.
 * `locations` holds X-LIC-LOCATION values of the file's VTIMEZONEs by TZID (Lightning, Evolution),
 * which name the IANA zone behind a TZID no table knows.
 */
export function tzidToIana(tzid: string, locations: ReadonlyMap<string, string> = new Map()): string | undefined {
  const t = tzid.trim().replace(/^"(.*)"$/, '$1');
  if (t === '') return undefined;
  if (isIanaZone(t)) return t;
  // Outlook and Exchange write Windows zone names; the first match is CLDR's territory-001 default.
  const windows = findIana(t)[0];
  if (windows && isIanaZone(windows)) return windows;
  // '/mozilla.org/20050126_1/America/New_York', '/citadel.org/20190914_1/Europe/Berlin': the
  // longest suffix that is a zone wins, so 'America/Argentina/Buenos_Aires' keeps all its parts.
  const parts = t.split('/').filter((p) => p !== '');
  for (let i = 1; i < parts.length; i++) {
    const suffix = parts.slice(i).join('/');
    if (isIanaZone(suffix)) return suffix;
  }
  const location = locations.get(t);
  if (location !== undefined && location !== t) return tzidToIana(location);
  return undefined;
}

/** The zone to store for a TZID: its IANA name, or the raw TZID so a later rule can report it. */
export function resolveTzid(tzid: string, locations?: ReadonlyMap<string, string>): string {
  return tzidToIana(tzid, locations) ?? tzid.trim();
}
