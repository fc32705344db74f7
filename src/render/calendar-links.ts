// Add-to-calendar links for one occurrence: Google Calendar, Outlook on the web, and our own .ics.
import { DateTime } from 'luxon';
import type { Occurrence } from '../calendar/occurrence.ts';
import { locationText } from '../events/location.ts';
import { ianaNameOf } from '../calendar/zones.ts';

export interface CalendarLinks {
  google: string;
  outlook: string;
  ics: string;
}

const utcStamp = (ms: number) => DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
const compactDate = (d: string) => d.replace(/-/g, '');
const nextDay = (d: string) => DateTime.fromISO(d, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string;

/** The event page link a reader can follow for details; kept short because every byte counts in the mail. */
function detailsLine(o: Occurrence): string {
  return o.links.find((l) => l.url)?.url ?? '';
}

export function calendarLinks(o: Occurrence, baseUrl: string): CalendarLinks {
  const where = locationText(o.location) ?? '';
  const title = o.title;
  const details = detailsLine(o);
  const google = new URL('https://calendar.google.com/calendar/render');
  google.searchParams.set('action', 'TEMPLATE');
  google.searchParams.set('text', title);
  google.searchParams.set('dates', o.allDay ? `${compactDate(o.start)}/${compactDate(nextDay(o.end))}` : `${utcStamp(o.startMs)}/${utcStamp(o.endMs)}`);
  // Google takes IANA names only; the times are UTC anyway, so a zone a calendar defined is left out.
  const ctz = ianaNameOf(o.timezone);
  if (!o.allDay && ctz) google.searchParams.set('ctz', ctz);
  if (where) google.searchParams.set('location', where);
  if (details) google.searchParams.set('details', details);

  const outlook = new URL('https://outlook.live.com/calendar/0/deeplink/compose');
  outlook.searchParams.set('path', '/calendar/action/compose');
  outlook.searchParams.set('rru', 'addevent');
  outlook.searchParams.set('subject', title);
  if (o.allDay) {
    outlook.searchParams.set('startdt', o.start);
    outlook.searchParams.set('enddt', nextDay(o.end));
    outlook.searchParams.set('allday', 'true');
  } else {
    outlook.searchParams.set('startdt', DateTime.fromMillis(o.startMs, { zone: 'UTC' }).toISO({ suppressMilliseconds: true }) as string);
    outlook.searchParams.set('enddt', DateTime.fromMillis(o.endMs, { zone: 'UTC' }).toISO({ suppressMilliseconds: true }) as string);
  }
  if (where) outlook.searchParams.set('location', where);
  if (details) outlook.searchParams.set('body', details);

  const ics = new URL(`events/${encodeURIComponent(o.eventId)}.ics`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  return { google: google.toString(), outlook: outlook.toString(), ics: ics.toString() };
}
