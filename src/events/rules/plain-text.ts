// Titles and places are shown in mail, pages and terminals: characters that act instead of showing (ESC, a
// newline in a title, a bidi override) are worth a warning, whatever escapes them downstream.
import { actingCharacters } from '../../control-chars.ts';
import type { Location } from '../model.ts';
import type { Rule, RuleFinding } from './rule.ts';

const LOCATION_FIELDS = ['venue', 'address', 'city', 'region', 'country'] as const;

function problems(title: string | undefined, location: Location | undefined, override?: number): RuleFinding[] {
  const found: RuleFinding[] = [];
  const where = override === undefined ? '' : ` (override ${override + 1})`;
  const chars = title === undefined ? [] : actingCharacters(title);
  if (chars.length > 0) found.push({ path: ['title'], severity: 'warning', message: `the title${where} contains control characters (${chars.join(', ')})`, override });
  for (const f of LOCATION_FIELDS) {
    const c = actingCharacters(location?.[f] ?? '');
    if (c.length > 0) found.push({ path: ['location'], severity: 'warning', message: `the location's ${f}${where} contains control characters (${c.join(', ')})`, override });
  }
  return found;
}

export const plainText: Rule = {
  name: 'plain-text',
  check: (ev) => [...problems(ev.title, ev.location), ...ev.overrides.flatMap((o, i) => problems(o.title, o.location, i))],
};
