// An event that is entirely over will never be listed again: probably stale data.
import { DateTime } from 'luxon';
import { seriesEndMs } from '../../calendar/occurrence.ts';
import { zoneFor } from '../../calendar/zones.ts';
import type { Rule } from './rule.ts';

export const notInPast: Rule = {
  name: 'not-in-past',
  check: (ev, ctx) => {
    const end = seriesEndMs(ev);
    if (end === undefined || end > ctx.nowMs) return [];
    const day = DateTime.fromMillis(end - 1, { zone: zoneFor(ev.timezone) }).toISODate();
    return [{ path: ['end'], severity: 'warning', message: `event '${ev.title}' is entirely in the past (ended ${day})` }];
  },
};
