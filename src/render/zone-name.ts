// The short name of a zone at an instant ("PST", "CEST", "AEDT"), right on both sides of a DST change.
import { dayStartValue } from '../calendar/day-blocks.ts';
import { gmtName } from '../calendar/defined-zone.ts';
import { definedZone, ianaNameOf, zoneFor } from '../calendar/zones.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function shortName(ms: number, zone: string, locale: string): string {
  const key = `${locale}|${zone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
    formatters.set(key, f);
  }
  return f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/**
 * ICU knows "EST" only in en-US, "CET"/"BST" only in en-GB, "AEDT" only in en-AU; elsewhere it
 * says "GMT+1". Ask each in turn and keep the first real abbreviation, else the GMT form.
 */
export function zoneAbbreviation(ms: number, zone: string): string {
  const defined = definedZone(zone);
  if (defined) {
    // A zone the calendar defined: its own TZNAME, else the IANA zone it is shown as while their offsets agree, else "GMT+7".
    const iana = ianaNameOf(zone);
    return defined.abbreviation(ms) ?? (iana && zoneFor(iana).offset(ms) === defined.offset(ms) ? zoneAbbreviation(ms, iana) : gmtName(defined.offset(ms)));
  }
  // As offsetAt does: a UTC day that starts and ends with the same name has it all day.
  const day = Math.floor(ms / DAY);
  const name = dayStartName(zone, day);
  return name === dayStartName(zone, day + 1) ? name : ianaAbbreviation(ms, zone);
}

const DAY = 86_400_000;
/** Per IANA zone and UTC day, its name at the day's first instant. */
const namesAtDayStart = new Map<string, Map<number, string>>();

function dayStartName(zone: string, day: number): string {
  let days = namesAtDayStart.get(zone);
  if (!days) namesAtDayStart.set(zone, (days = new Map()));
  return dayStartValue(days, day, (d) => ianaAbbreviation(d * DAY, zone));
}

function ianaAbbreviation(ms: number, zone: string): string {
  let fallback = '';
  for (const locale of ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ']) {
    const name = shortName(ms, zone, locale);
    if (!/^(GMT|UTC)[+-−]/.test(name)) return name === 'GMT' && zone === 'UTC' ? 'UTC' : name;
    fallback ||= name.replace('−', '-');
  }
  return fallback;
}
