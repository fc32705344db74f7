// Where an ICS event is and who it is for: GEO (RFC 5545 §3.8.1.6, "lat;lon") and our X-EVENT-DIGEST-SCOPE (LOCAL or NATIONAL).
import type { EventScope, GeoPoint } from '../model.ts';
import { geoPoint } from './digest-data.ts';
import type { ComponentReader } from './reader.ts';

/** The property that marks an event for every reader: `X-EVENT-DIGEST-SCOPE:NATIONAL` (LOCAL is the default). */
export const SCOPE_PROPERTY = 'X-EVENT-DIGEST-SCOPE';

/** GEO as a point; a value that is not two numbers in range is a warning on its line, and ignored. */
export function geoOf(r: ComponentReader): GeoPoint | undefined {
  const p = r.first('GEO');
  if (!p) return undefined;
  const m = /^GEO(?:;[^:]*)?:\s*(-?[\d.]+)\s*[;,]\s*(-?[\d.]+)\s*$/i.exec(p.text);
  const geo = m ? geoPoint({ lat: Number(m[1]), lon: Number(m[2]) }) : undefined;
  if (!geo) r.warnings.push({ line: p.line, message: `ignoring GEO: '${p.text.slice(4, 60)}' is not "latitude;longitude"` });
  return geo;
}

export function scopeOf(r: ComponentReader): EventScope | undefined {
  const p = r.first(SCOPE_PROPERTY);
  if (!p) return undefined;
  const value = (r.text(SCOPE_PROPERTY) ?? '').trim().toLowerCase();
  if (value === 'local' || value === 'national') return value;
  r.warnings.push({ line: p.line, message: `ignoring ${SCOPE_PROPERTY}: '${value}' is not LOCAL or NATIONAL` });
  return undefined;
}
