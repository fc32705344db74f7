// What the public sees of a calendar: a private location cut to its city and region, private links left out.
// Only mail to confirmed subscribers (and the organizers' own previews) carries the exact place.
import type { Calendar, CalendarEvent, Link, Location, Override } from './model.ts';

/** Where the exact place went, said in the place's stead. */
export const WITHHELD_PLACE = 'Exact place in the email to subscribers';
/** The same for an online event whose join link is private. */
export const WITHHELD_JOIN = 'Join link in the email to subscribers';

/** City, region and country only, marked withheld so every renderer says where the rest is. */
export function publicLocation(l: Location): Location {
  if (!l.private) return l;
  const out: Location = { withheld: true };
  if (l.city !== undefined) out.city = l.city;
  if (l.region !== undefined) out.region = l.region;
  if (l.country !== undefined) out.country = l.country;
  if (l.online !== undefined) out.online = l.online;
  return out;
}

const publicLinks = (links: Link[]): Link[] => (links.some((l) => l.private) ? links.filter((l) => !l.private) : links);

function publicOverride(o: Override): Override {
  if (!o.location?.private && !o.links?.some((l) => l.private)) return o;
  return { ...o, ...(o.location ? { location: publicLocation(o.location) } : {}), ...(o.links ? { links: publicLinks(o.links) } : {}) };
}

export function hasPrivateDetails(e: CalendarEvent): boolean {
  const has = (l?: Location, links?: Link[]) => !!l?.private || !!links?.some((x) => x.private);
  return has(e.location, e.links) || e.overrides.some((o) => has(o.location, o.links));
}

export function publicEvent(e: CalendarEvent): CalendarEvent {
  if (!hasPrivateDetails(e)) return e;
  return { ...e, ...(e.location ? { location: publicLocation(e.location) } : {}), links: publicLinks(e.links), overrides: e.overrides.map(publicOverride) };
}

const cache = new WeakMap<Calendar, Calendar>();

/** The calendar as the public archive, pages and feeds show it; the same object when nothing is private. Memoized per calendar. */
export function publicCalendar(calendar: Calendar): Calendar {
  let out = cache.get(calendar);
  if (!out) {
    out = calendar.events.some(hasPrivateDetails) ? { ...calendar, events: calendar.events.map(publicEvent) } : calendar;
    cache.set(calendar, out);
  }
  return out;
}
