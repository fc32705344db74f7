// A recurrence rule must parse, and a campaign listed as one span must end.
import { eventRule, parseRRule, probeRule, unknownRRuleParts } from '../../calendar/recurrence.ts';
import { isSubDaily } from '../../calendar/sub-daily.ts';
import { isKnownZone } from '../../calendar/zones.ts';
import type { Rule, RuleFinding } from './rule.ts';

export const rruleParses: Rule = {
  name: 'rrule-parses',
  check: (ev) => {
    const out: RuleFinding[] = [];
    const rrule = ev.recurrence?.rrule;
    if (rrule !== undefined) {
      const unknown = unknownRRuleParts(rrule);
      if (unknown.length > 0) out.push({ path: ['recurrence', 'rrule'], severity: 'warning', message: `recurrence: RRULE part${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not RFC 5545 and ignored` });
      try {
        // The zone only matters for a UTC UNTIL; an unknown zone is another rule's finding. In a known
        // zone the rule is the one expansion uses, parsed once.
        const rule = isKnownZone(ev.timezone) ? eventRule(ev) : parseRRule(rrule, { ...ev, timezone: 'UTC' }, false);
        probeRule(rule, ev);
        if (isSubDaily(rule)) {
          const freq = /FREQ=(\w+)/i.exec(rrule)?.[1]?.toUpperCase();
          out.push({ path: ['recurrence', 'rrule'], severity: 'warning', message: `recurrence: FREQ=${freq} repeats within a day; a digest lists at most maxInstancesPerEvent of its occurrences per window` });
        }
        if (ev.listAs === 'span' && rule.options.until === null && rule.options.count === null) {
          out.push({ path: ['listAs'], severity: 'error', message: 'listAs: span needs a recurrence that ends (UNTIL or COUNT)' });
        }
      } catch (e) {
        out.push({ path: ['recurrence', 'rrule'], severity: 'error', message: `recurrence: ${(e as Error).message}` });
      }
    }
    if (ev.listAs === 'span' && !ev.recurrence) {
      out.push({ path: ['listAs'], severity: 'error', message: 'listAs: span needs a recurrence' });
    }
    return out;
  },
};
