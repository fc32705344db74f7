// The one place an event's zone name becomes a zone: IANA names through luxon, zones a file defined through their VTIMEZONE.
import { createHash } from 'node:crypto';
import { IANAZone, type Zone } from 'luxon';
import { DefinedZone, type ZoneDefinition } from './defined-zone.ts';
import { isIanaZone } from './iana-zones.ts';

const ianaZones = new Map<string, IANAZone>();
const defined = new Map<string, DefinedZone>();

export { isIanaZone };

/** An IANA name, or the key of a zone a file defined. */
export function isKnownZone(key: string): boolean {
  return defined.has(key) || isIanaZone(key);
}

/** The luxon Zone behind an event's `timezone`. */
export function zoneFor(key: string): Zone {
  const d = defined.get(key);
  if (d) return d;
  let z = ianaZones.get(key);
  if (!z) {
    z = IANAZone.create(key);
    ianaZones.set(key, z);
  }
  return z;
}

/** The zone a file defined under this key, if it is one. */
export function definedZone(key: string): DefinedZone | undefined {
  return defined.get(key);
}

/** What a reader or a script sees for the zone: the IANA name, or the defined zone's display name. */
export function zoneDisplayName(key: string): string {
  return defined.get(key)?.displayName ?? key;
}

/** The IANA name behind a zone, when it has one (a defined zone the file named after an IANA zone has its name). */
export function ianaNameOf(key: string): string | undefined {
  const name = zoneDisplayName(key);
  return isIanaZone(name) ? name : undefined;
}

function signature(def: ZoneDefinition, displayName: string): string {
  return createHash('sha256').update(JSON.stringify([displayName, def])).digest('hex').slice(0, 10);
}

/**
 * Registers a zone a file defines and returns its key: the TZID plus a digest of the definition,
 * so the same definition always gets the same key (a calendar read again on every web request
 * adds nothing) and two files defining "Eastern" differently never meet.
 */
export function registerDefinedZone(def: ZoneDefinition, displayName: string): string {
  const key = `${def.tzid}~${signature(def, displayName)}`;
  if (!defined.has(key)) defined.set(key, new DefinedZone(key, displayName, def));
  return key;
}
