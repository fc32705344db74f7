// Add-to-calendar links: short ones on our own host for the mail, and the Google and Outlook templates they redirect to.
import { DateTime } from 'luxon';
import type { Occurrence } from '../calendar/occurrence.ts';
import { fullAddress, joinUrl, placeText } from '../events/location.ts';
import { isAllowedUrl } from '../events/rules/link-urls.ts';
import { appUrl } from '../subscribers/links.ts';
import { ianaNameOf } from '../calendar/zones.ts';
import { blocksToText, markdownToBlocks } from './markdown.ts';

/** In the mail: about 60 bytes each, the same for every reader (no tracking), where template URLs run to 500. */
export interface CalendarLinks {
  google: string;
  outlook: string;
  ics: string;
}

/** The public page of an event (`/events/ID`): full description, links, calendar buttons. */
export function eventPageUrl(baseUrl: string, eventId: string): string {
  return appUrl(baseUrl, `events/${encodeURIComponent(eventId)}`);
}

export function calendarLinks(baseUrl: string, eventId: string): CalendarLinks {
  const page = eventPageUrl(baseUrl, eventId);
  return { google: `${page}/add/google`, outlook: `${page}/add/outlook`, ics: `${page}.ics` };
}

const utcStamp = (ms: number) => DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
const utcIso = (ms: number) => DateTime.fromMillis(ms, { zone: 'UTC' }).toISO({ suppressMilliseconds: true }) as string;
const compactDate = (d: string) => d.replace(/-/g, '');
const nextDay = (d: string) => DateTime.fromISO(d, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string;

/** Where, for a calendar app: the street address, else the join link, else the place as named. */
function whereText(o: Occurrence): string {
  return fullAddress(o.location) ?? joinUrl(o.location) ?? placeText(o.location) ?? '';
}

/** The description's first lines as plain text, then the join link, the main link and the event page. */
function detailsText(o: Occurrence, pageUrl: string): string {
  const text = blocksToText(markdownToBlocks(o.description ?? ''));
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let intro = lines.slice(0, 3).join('\n');
  if (intro.length > 400) intro = `${intro.slice(0, intro.lastIndexOf(' ', 400))}…`;
  const join = joinUrl(o.location);
  const main = o.links.find((l) => l.url !== '' && isAllowedUrl(l.url));
  return [intro, join && `Join: ${join}`, main && `${main.label}: ${main.url}`, `Details: ${pageUrl}`].filter(Boolean).join('\n\n');
}

/** Google Calendar's and Outlook on the web's "new event" templates for one occurrence. */
export function calendarTemplates(o: Occurrence, pageUrl: string): { google: string; outlook: string } {
  const where = whereText(o);
  const details = detailsText(o, pageUrl);
  const google = new URL('https://calendar.google.com/calendar/render');
  google.searchParams.set('action', 'TEMPLATE');
  google.searchParams.set('text', o.title);
  google.searchParams.set('dates', o.allDay ? `${compactDate(o.start)}/${compactDate(nextDay(o.end))}` : `${utcStamp(o.startMs)}/${utcStamp(o.endMs)}`);
  // Google takes IANA names only; the times are UTC anyway, so a zone a calendar defined is left out.
  const ctz = ianaNameOf(o.timezone);
  if (!o.allDay && ctz) google.searchParams.set('ctz', ctz);
  if (where) google.searchParams.set('location', where);
  google.searchParams.set('details', details);

  const outlook = new URL('https://outlook.live.com/calendar/0/deeplink/compose');
  outlook.searchParams.set('path', '/calendar/action/compose');
  outlook.searchParams.set('rru', 'addevent');
  outlook.searchParams.set('subject', o.title);
  outlook.searchParams.set('startdt', o.allDay ? o.start : utcIso(o.startMs));
  outlook.searchParams.set('enddt', o.allDay ? nextDay(o.end) : utcIso(o.endMs));
  if (o.allDay) outlook.searchParams.set('allday', 'true');
  if (where) outlook.searchParams.set('location', where);
  outlook.searchParams.set('body', details);
  return { google: google.toString(), outlook: outlook.toString() };
}
