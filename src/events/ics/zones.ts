// Maps the TZIDs that real calendar exports write (IANA, Windows, Mozilla-prefixed, or defined only by a VTIMEZONE) to zone keys.
import { findIana } from 'windows-iana';
import type { Observance, ZoneDefinition } from '../../calendar/defined-zone.ts';
import { definedZone, isIanaZone, registerDefinedZone, zoneFor } from '../../calendar/zones.ts';
import { normalizeLocalDateTime } from '../../calendar/wall-time.ts';
import { rawValue, type RawComponent } from './scan.ts';

/** Undoes RFC 5545 TEXT escapes and surrounding quotes: Outlook writes "Kuala Lumpur\, Singapore". */
export function cleanTzid(tzid: string): string {
  return tzid
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c))
    .trim();
}

let cityIndex: Map<string, string[]> | undefined;

/** IANA zones by their last part ("Bangkok" → Asia/Bangkok), to recognise Outlook's display names. */
function zonesByCity(): Map<string, string[]> {
  if (!cityIndex) {
    cityIndex = new Map();
    for (const z of Intl.supportedValuesOf('timeZone')) {
      const city = z.split('/').pop()!.toLowerCase();
      cityIndex.set(city, [...(cityIndex.get(city) ?? []), z]);
    }
  }
  return cityIndex;
}

/** Zones a display name such as "(UTC+07:00) Bangkok, Hanoi, Jakarta" mentions, to be checked against its rules. */
function mentionedZones(tzid: string): string[] {
  const words = tzid.replace(/\((?:UTC|GMT)[^)]*\)/gi, '').split(/[,()&/]|\band\b/);
  return words.flatMap((w) => zonesByCity().get(w.trim().replace(/\s+/g, '_').toLowerCase()) ?? []);
}

/** The usual offset of a zone (the smaller of January's and July's), as Outlook's display names give it. */
function standardOffset(iana: string): number {
  const z = zoneFor(iana);
  return Math.min(z.offset(Date.UTC(2020, 0, 1)), z.offset(Date.UTC(2020, 6, 1)));
}

/**
 * Outlook's display names, "(UTC-05:00) Eastern Time (US & Canada)" or "(GMT+10:00) Canberra,
 * Melbourne, Sydney": the Windows zone the words name ("Eastern Standard Time") or a city they
 * mention, kept only when its usual offset is the one in the parentheses.
 */
function displayNameZone(tzid: string): string | undefined {
  const m = /^\((?:UTC|GMT)\s*(?:([+-])(\d{1,2}):?(\d{2}))?\)\s*(.+)$/i.exec(tzid);
  if (!m) return undefined;
  const offset = m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const words = m[4].trim();
  const windowsId = words.replace(/\s*\(.*\)\s*$/, '').replace(/ Time$/, ' Standard Time');
  const candidates = [...findIana(windowsId), ...mentionedZones(words)];
  return candidates.find((c) => isIanaZone(c) && standardOffset(c) === offset);
}

/**
 * The IANA zone a TZID names, or undefined when nothing maps it.
 * `locations` holds X-LIC-LOCATION values of the file's VTIMEZONEs by TZID (Lightning, Evolution),
 * which name the IANA zone behind a TZID no table knows.
 */
export function tzidToIana(tzid: string, locations: ReadonlyMap<string, string> = new Map()): string | undefined {
  const t = cleanTzid(tzid);
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
  return displayNameZone(t);
}

const offsetMinutes = (v: string): number | undefined => {
  const m = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(v.trim());
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
};

/** The STANDARD/DAYLIGHT observances of a VTIMEZONE; undefined when one cannot be read. */
export function readZoneDefinition(vtz: RawComponent, tzid: string): ZoneDefinition | undefined {
  const observances: Observance[] = [];
  for (const c of vtz.components) {
    if (c.name !== 'STANDARD' && c.name !== 'DAYLIGHT') continue;
    const value = (name: string) => {
      const p = c.properties.find((x) => x.name === name);
      return p === undefined ? undefined : rawValue(p.text).trim();
    };
    const start = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(value('DTSTART') ?? '');
    const from = offsetMinutes(value('TZOFFSETFROM') ?? '');
    const to = offsetMinutes(value('TZOFFSETTO') ?? '');
    if (!start || from === undefined || to === undefined) return undefined;
    const wall = normalizeLocalDateTime(`${start[1]}-${start[2]}-${start[3]}T${start[4]}:${start[5]}:${start[6]}`);
    if (wall === undefined) return undefined;
    const rdates = c.properties
      .filter((p) => p.name === 'RDATE')
      .flatMap((p) => rawValue(p.text).split(','))
      .map((v) => /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?(Z?)$/.exec(v.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7]}`);
    const name = value('TZNAME')?.replace(/\\([\\;,])/g, '$1');
    observances.push({ kind: c.name, start: wall, offsetFrom: from, offsetTo: to, rrule: value('RRULE'), rdates, ...(name ? { name } : {}) });
  }
  return observances.length > 0 ? { tzid, observances } : undefined;
}

const agreement = new Map<string, boolean>();

/**
 * Whether a defined zone gives the IANA zone's offsets over the years (those its definition
 * covers): compared on the 1st and 15th of every month and on each side of every change it makes.
 */
function agrees(defined: string, iana: string, years: { from: number; to: number }): boolean {
  const a = definedZone(defined)!;
  const cover = a.coverage();
  const fromYear = Math.max(years.from, cover.fromYear);
  const toYear = Math.min(years.to, cover.toYear);
  const cacheKey = `${defined}|${iana}|${fromYear}|${toYear}`;
  let ok = agreement.get(cacheKey);
  if (ok === undefined) {
    const b = zoneFor(iana);
    const instants: number[] = [];
    for (let y = fromYear; y <= toYear; y++) for (let m = 0; m < 12; m++) instants.push(Date.UTC(y, m, 1), Date.UTC(y, m, 15));
    const from = Date.UTC(fromYear, 0, 1);
    const to = Date.UTC(toYear + 1, 0, 1);
    for (const t of a.transitions(from, to)) instants.push(t - 1, t);
    ok = instants.every((t) => a.offset(t) === b.offset(t));
    agreement.set(cacheKey, ok);
  }
  return ok;
}

/** Where TZIDs of one VCALENDAR lead: the file's VTIMEZONEs first (RFC 5545 §3.6.5), then the names tables know. */
export class ZoneResolver {
  private readonly keys = new Map<string, string>();
  readonly locations = new Map<string, string>();

  /**
   * @param years the years the calendar's events use, so a defined zone is compared with the IANA
   *   zone it names (or mentions) where it matters
   */
  constructor(vtimezones: RawComponent[], years: { from: number; to: number }) {
    const defs: [string, ZoneDefinition | undefined, string | undefined][] = [];
    for (const vtz of vtimezones) {
      const tzidProp = vtz.properties.find((p) => p.name === 'TZID');
      if (!tzidProp) continue;
      const tzid = cleanTzid(rawValue(tzidProp.text));
      const locProp = vtz.properties.find((p) => p.name === 'X-LIC-LOCATION');
      const location = locProp ? cleanTzid(rawValue(locProp.text)) : undefined;
      if (location) this.locations.set(tzid, location);
      defs.push([tzid, readZoneDefinition(vtz, tzid), location]);
    }
    for (const [tzid, def] of defs) {
      const named = tzidToIana(tzid, this.locations);
      if (!def) {
        if (named) this.keys.set(tzid, named);
        continue;
      }
      const key = registerDefinedZone(def, named ?? tzid);
      const candidates = named ? [named] : mentionedZones(tzid);
      const same = candidates.find((c) => agrees(key, c, years));
      // The file's rules win (RFC 5545 §3.6.5); an IANA zone stands in only where they are the same.
      this.keys.set(tzid, same ?? key);
    }
  }

  /** TZIDs as written → their zone key: a big calendar names a handful of zones on tens of thousands of lines. */
  private readonly resolved = new Map<string, string>();

  /** The zone key for a TZID: a zone the file defines, an IANA zone it names, or the TZID itself (reported later as unknown). */
  resolve(tzid: string): string {
    let key = this.resolved.get(tzid);
    if (key === undefined) {
      const t = cleanTzid(tzid);
      key = this.keys.get(t) ?? tzidToIana(t, this.locations) ?? t;
      this.resolved.set(tzid, key);
    }
    return key;
  }
}
