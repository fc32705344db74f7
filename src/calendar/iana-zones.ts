// Whether a name is an IANA zone, apart from zones.ts, so what checks a name (`subscribers add`, --tz) loads neither rrule nor crypto.
import { IANAZone } from 'luxon';

const ianaValid = new Map<string, boolean>();

/** Whether luxon (Intl) knows the IANA name; cached, since each answer costs a formatter. */
export function isIanaZone(name: string): boolean {
  let ok = ianaValid.get(name);
  if (ok === undefined) {
    ok = IANAZone.isValidZone(name);
    if (ianaValid.size > 10_000) ianaValid.clear();
    ianaValid.set(name, ok);
  }
  return ok;
}
