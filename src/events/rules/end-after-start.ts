// An event, and each moved instance, must not end before it starts.
import type { Rule, RuleFinding } from './rule.ts';

export const endAfterStart: Rule = {
  name: 'end-after-start',
  check: (ev) => {
    const out: RuleFinding[] = [];
    if (ev.end < ev.start) out.push({ path: ['end'], severity: 'error', message: `end ${ev.end} is before start ${ev.start}` });
    ev.overrides.forEach((o, i) => {
      if (o.start && o.end && o.end < o.start) {
        out.push({ path: ['end'], override: i, severity: 'error', message: `end ${o.end} is before start ${o.start}` });
      }
    });
    return out;
  },
};
