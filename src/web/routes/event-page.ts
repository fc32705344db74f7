// The public event page (`/events/ID`) and the short add-to-calendar links the digest carries (302s to Google and Outlook).
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { DateTime } from 'luxon';
import { expandOccurrences } from '../../calendar/occurrence.ts';
import { windowFor } from '../../calendar/window.ts';
import { requireValid } from '../../events/sources.ts';
import { calendarTemplates, eventPageUrl } from '../../render/calendar-links.ts';
import type { WebDeps } from '../deps.ts';
import { eventPageBody, eventPageView } from '../pages/event-page.ts';
import { page } from '../pages/layout.ts';

/** How far ahead the page looks for the next dates. */
const AHEAD_WEEKS = 52;

export function eventPageRoutes(deps: WebDeps): Hono {
  const { config, clock } = deps;
  const app = new Hono();

  /** The event and its occurrences from today on (in the list zone); an event with none shows its first ones. */
  async function find(id: string) {
    const calendar = requireValid(await deps.loadEvents());
    const event = calendar.events.find((e) => e.id === id);
    if (!event) return undefined;
    const today = DateTime.fromJSDate(clock.now(), { zone: config.timezone }).toISODate() as string;
    const upcoming = windowFor(today, AHEAD_WEEKS, config.timezone);
    const next = expandOccurrences(event, upcoming);
    if (next.length > 0) return { event, occurrences: next, win: upcoming, past: false };
    const from = windowFor(event.start.slice(0, 10), AHEAD_WEEKS, event.timezone);
    return { event, occurrences: expandOccurrences(event, from), win: from, past: true };
  }

  const missing = (c: Context) => c.html(page({ title: 'No such event', listName: config.listName }, html`<h1>No such event</h1><p>It may have been taken off the calendar. <a href="/calendar.ics">The whole calendar</a></p>`), 404);

  app.get('/events/:id', async (c) => {
    const found = await find(c.req.param('id'));
    if (!found) return missing(c);
    const view = eventPageView(found.event, found.occurrences, found.win, found.past, config.baseUrl);
    return c.html(page({ title: found.event.title, listName: config.listName }, eventPageBody(view)));
  });

  // The same URL for every reader: no tracking, and 40 bytes in the mail instead of a 500-byte template.
  app.get('/events/:id/add/:app{google|outlook}', async (c) => {
    const found = await find(c.req.param('id'));
    const first = found?.occurrences[0];
    if (!found || !first) return missing(c);
    const templates = calendarTemplates(first, eventPageUrl(config.baseUrl, found.event.id));
    return c.redirect(c.req.param('app') === 'google' ? templates.google : templates.outlook, 302);
  });

  return app;
}
