// Readers need to know where to go: an event with no place and not online gets a warning.
import type { Rule } from './rule.ts';

export const hasLocation: Rule = {
  name: 'has-location',
  check: (ev) => {
    const l = ev.location;
    const somewhere = l && (l.online || l.geo || [l.url, l.venue, l.address, l.city, l.region].some((s) => s && s.trim() !== ''));
    return somewhere ? [] : [{ path: ['title'], severity: 'warning', message: `event '${ev.title}' has no location` }];
  },
};
