// Calendars for readers: one event as .ics (the digest's add-to-calendar link), and every upcoming event.
import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { selectWindow } from '../../calendar/select.ts';
import { windowFor } from '../../calendar/window.ts';
import { exportIcs } from '../../events/ics/export.ts';
import type { Calendar } from '../../events/model.ts';
import { requireValid } from '../../events/sources.ts';
import type { WebDeps } from '../deps.ts';

/** "Upcoming" reaches this far ahead. */
const UPCOMING_WEEKS = 52;

export function calendarRoutes(deps: WebDeps): Hono {
  const { config, clock } = deps;
  const app = new Hono();
  const ics = (c: Context, calendar: Calendar, filename: string) => {
    c.header('Content-Type', 'text/calendar; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${filename}"`);
    return c.body(exportIcs(calendar, { now: clock.now(), calendarName: config.listName }));
  };
  const plain = (c: Context, status: 404 | 400, text: string) => c.text(text, status);

  // Only "ID.ics" here: "/events/ID" is the event's page (event-page.ts).
  app.get('/events/:file{.+\\.ics}', async (c) => {
    const id = c.req.param('file').slice(0, -'.ics'.length);
    const calendar = requireValid(await deps.loadEvents());
    const event = calendar.events.find((e) => e.id === id);
    if (!event) return plain(c, 404, 'No such event');
    return ics(c, { ...calendar, events: [event], alliedCalendars: [] }, `${id.replace(/[^A-Za-z0-9._-]+/g, '_')}.ics`);
  });

  // ?kind=webinar&kind=action or ?kinds=webinar,action; nothing: every kind.
  app.get('/calendar.ics', async (c) => {
    const asked = [...c.req.queries('kind') ?? [], ...(c.req.query('kinds')?.split(',') ?? [])].map((k) => k.trim()).filter(Boolean);
    const unknown = asked.filter((k) => !config.kinds.includes(k));
    if (unknown.length > 0) return plain(c, 400, `Unknown kind '${unknown[0]}'; kinds: ${config.kinds.join(', ')}`);
    const calendar = requireValid(await deps.loadEvents());
    const today = DateTime.fromJSDate(clock.now(), { zone: config.timezone }).toISODate() as string;
    const upcoming = selectWindow(calendar.events, windowFor(today, UPCOMING_WEEKS, config.timezone), { kinds: [], months: 0 });
    // An event cut at the window's total may have nothing listed, yet it is one of the upcoming ones.
    const upcomingEvents = [...upcoming.occurrences.map((o) => o.event), ...upcoming.cut.map((x) => x.event)];
    const ids = new Set(upcomingEvents.filter((e) => asked.length === 0 || asked.includes(e.kind)).map((e) => e.id));
    return ics(c, { ...calendar, events: calendar.events.filter((e) => ids.has(e.id)) }, 'calendar.ics');
  });

  return app;
}
