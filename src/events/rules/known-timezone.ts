// Times must be in a real IANA zone (or one the calendar file defines), or nothing about them can be computed.
import { isKnownZone } from '../../calendar/zones.ts';
import type { Rule } from './rule.ts';

export const knownTimezone: Rule = {
  name: 'known-timezone',
  check: (ev) =>
    isKnownZone(ev.timezone) ? [] : [{ path: ['timezone'], severity: 'error', message: `unknown time zone '${ev.timezone}'` }],
};
