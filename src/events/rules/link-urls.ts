// Only http, https and mailto links may reach a reader; a link with no address is worth a warning.
import type { CalendarEvent, Link } from '../model.ts';
import type { Rule, RuleFinding } from './rule.ts';

const ALLOWED = /^(https?:\/\/[^\s/]+|mailto:[^\s]+@[^\s]+)/i;

export function isAllowedUrl(url: string): boolean {
  if (!ALLOWED.test(url.trim())) return false;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}

/** Somewhere a reader can act: a link with an address, or the join link of an online event. */
export function hasUsableLink(ev: Pick<CalendarEvent, 'links' | 'location'>): boolean {
  return ev.links.some((l) => l.url.trim() !== '' && isAllowedUrl(l.url)) || (!!ev.location?.url && isAllowedUrl(ev.location.url));
}

function checkLinks(links: Link[], override?: number): RuleFinding[] {
  return links.flatMap((l, i): RuleFinding[] => {
    if (l.url.trim() === '') {
      return [{ path: ['links', i, 'label'], override, severity: 'warning', message: `link '${l.label}' has no address` }];
    }
    if (!isAllowedUrl(l.url)) {
      return [{ path: ['links', i, 'url'], override, severity: 'error', message: `link '${l.label}': '${l.url}' is not an http, https or mailto URL` }];
    }
    return [];
  });
}

export const linkUrls: Rule = {
  name: 'link-urls',
  check: (ev) => {
    const out = checkLinks(ev.links);
    ev.overrides.forEach((o, i) => out.push(...checkLinks(o.links ?? [], i)));
    const joinUrl = ev.location?.url;
    if (joinUrl !== undefined && joinUrl !== '' && !isAllowedUrl(joinUrl)) {
      out.push({ path: ['location', 'url'], severity: 'error', message: `location: '${joinUrl}' is not an http, https or mailto URL` });
    }
    return out;
  },
};
