// An event's kind must be one the configuration lists.
import type { Rule } from './rule.ts';

export const knownKind: Rule = {
  name: 'known-kind',
  check: (ev, ctx) =>
    ctx.kinds.includes(ev.kind)
      ? []
      : [{ path: ['kind'], severity: 'error', message: `unknown kind '${ev.kind}' (known: ${ctx.kinds.join(', ')})` }],
};
