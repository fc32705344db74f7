// An event that is entirely over will never be listed again: probably stale data.
import { seriesEndMs } from '../../calendar/occurrence.ts';
import { instantToDate } from '../../calendar/wall-time.ts';
import type { Rule } from './rule.ts';

export const notInPast: Rule = {
  name: 'not-in-past',
  check: (ev, ctx) => {
    const end = seriesEndMs(ev, ctx.nowMs);
    if (end === undefined || end > ctx.nowMs) return [];
    const day = instantToDate(end - 1, ev.timezone);
    return [{ path: ['end'], severity: 'warning', message: `event '${ev.title}' is entirely in the past (ended ${day})` }];
  },
};
