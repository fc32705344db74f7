// Times must be in a real IANA zone, or nothing about them can be computed.
import { isIanaZone } from '../../calendar/wall-time.ts';
import type { Rule } from './rule.ts';

export const knownTimezone: Rule = {
  name: 'known-timezone',
  check: (ev) =>
    isIanaZone(ev.timezone) ? [] : [{ path: ['timezone'], severity: 'error', message: `unknown time zone '${ev.timezone}'` }],
};
