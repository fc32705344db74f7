// The public page of one event (`/events/ID`): what the digest's "More →" opens. Built from the event's
// public view only, so what a reader may not see (issue 14's private details) is filtered before it.
import { html } from 'hono/html';
import type { Occurrence } from '../../calendar/occurrence.ts';
import type { Window } from '../../calendar/window.ts';
import { fullAddress, joinUrl, locationText, mapUrl } from '../../events/location.ts';
import type { CalendarEvent } from '../../events/model.ts';
import { isAllowedUrl } from '../../events/rules/link-urls.ts';
import { calendarLinks, type CalendarLinks } from '../../render/calendar-links.ts';
import { markdownToBlocks, type Block, type Inline } from '../../render/markdown.ts';
import { whenText } from '../../render/when.ts';
import { zoneAbbreviation } from '../../render/zone-name.ts';
import type { Markup } from './layout.ts';

/** Upcoming dates listed for a series. */
const MAX_DATES = 8;

export interface EventPageView {
  title: string;
  kind: string;
  status: CalendarEvent['status'];
  /** The next occurrence's when-line, in the event's own zone; the rest of a series' upcoming dates. */
  when?: string;
  moreDates: string[];
  /** No occurrence from today on. */
  past: boolean;
  place?: string;
  mapUrl?: string;
  online?: string;
  join?: string;
  hostedBy?: string;
  description: Block[];
  links: { label: string; url: string }[];
  unlinked: string[];
  cal: CalendarLinks;
  zoneNote: string;
}

/**
 * The page's content from an event and its occurrences (upcoming ones, else its first). Takes the
 * event as the public may see it: the privacy filter belongs in front of this call.
 */
export function eventPageView(event: CalendarEvent, occurrences: readonly Occurrence[], win: Window, past: boolean, baseUrl: string): EventPageView {
  const zone = event.timezone;
  const first = occurrences[0];
  const loc = first?.location ?? event.location;
  const place = fullAddress(loc);
  const join = joinUrl(loc);
  return {
    title: event.title,
    kind: event.kind,
    status: first?.status ?? event.status,
    when: first ? whenText(first, zone, win).when : undefined,
    moreDates: occurrences.slice(1, MAX_DATES + 1).map((o) => whenText(o, zone, win).when),
    past,
    place,
    mapUrl: mapUrl(loc),
    online: loc?.online ? (place ? 'Online' : (locationText(loc) ?? 'Online')) : undefined,
    join: join && isAllowedUrl(join) ? join : undefined,
    hostedBy: event.organizer?.trim() || undefined,
    description: markdownToBlocks(first?.description ?? event.description ?? ''),
    links: (first?.links ?? event.links).filter((l) => l.url !== '' && isAllowedUrl(l.url)),
    unlinked: (first?.links ?? event.links).filter((l) => l.url === '').map((l) => l.label),
    cal: calendarLinks(baseUrl, event.id),
    zoneNote: first && !first.allDay ? `Times in ${zone.replace(/_/g, ' ')} (${zoneAbbreviation(first.startMs, zone)}).` : '',
  };
}

function inlines(xs: Inline[]): Markup {
  return html`${xs.map((i) => {
    const text = html`${i.parts.map((p) => {
      let m = html`${p.text}`;
      if (p.code) m = html`<code>${m}</code>`;
      if (p.em) m = html`<em>${m}</em>`;
      if (p.strong) m = html`<strong>${m}</strong>`;
      return m;
    })}`;
    return i.href ? html`<a href="${i.href}" rel="noopener">${text}</a>` : text;
  })}`;
}

function blocks(bs: Block[]): Markup {
  return html`${bs.map((b) => ('paragraph' in b ? html`<p dir="auto">${inlines(b.paragraph)}</p>` : html`<ul dir="auto">${b.list.map((item) => html`<li>${inlines(item)}</li>`)}</ul>`))}`;
}

export function eventPageBody(v: EventPageView): Markup {
  const state = v.status === 'cancelled' ? 'Cancelled' : v.status === 'tentative' ? 'Tentative' : v.past ? 'Past event' : undefined;
  return html`<article class="event">
<p class="hint">${v.kind.charAt(0).toUpperCase() + v.kind.slice(1)}${state ? html` · <strong class="state">${state}</strong>` : html``}</p>
<h1 dir="auto">${v.title}</h1>
${v.when ? html`<p class="when"><strong>${v.when}</strong></p>` : html``}
${v.moreDates.length > 0 ? html`<p class="hint">Also: ${v.moreDates.join('; ')}</p>` : html``}
${v.zoneNote ? html`<p class="hint">${v.zoneNote}</p>` : html``}
${v.place ? html`<p dir="auto">${v.place}${v.mapUrl ? html` · <a href="${v.mapUrl}" rel="noopener">Map</a>` : html``}</p>` : html``}
${v.online ? html`<p dir="auto">${v.online}${v.join ? html` · Join: <a href="${v.join}" rel="noopener">${v.join}</a>` : html``}</p>` : html``}
${v.hostedBy ? html`<p dir="auto">Hosted by ${v.hostedBy}</p>` : html``}
${blocks(v.description)}
${v.links.length > 0 ? html`<p class="actions">${v.links.map((l, i) => html`<a class="${i === 0 ? 'button' : ''}" href="${l.url}" rel="noopener" dir="auto">${l.label}</a> `)}</p>` : html``}
${v.unlinked.length > 0 ? html`<p class="hint">${v.unlinked.map((l) => `${l} (link to come)`).join(' · ')}</p>` : html``}
<h2>Add to your calendar</h2>
<p class="actions"><a class="button secondary" href="${v.cal.google}">Google Calendar</a> <a class="button secondary" href="${v.cal.outlook}">Outlook</a> <a class="button secondary" href="${v.cal.ics}">Download .ics</a></p>
</article>`;
}
