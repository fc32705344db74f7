// The home page: what is coming up (the list's default reader, as the archive shows an issue) and the subscribe form.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { DateTime } from 'luxon';
import { selectWindow } from '../../calendar/select.ts';
import { windowFor } from '../../calendar/window.ts';
import { hasErrors } from '../../events/finding.ts';
import { buildDigestView } from '../../render/digest-view.ts';
import { digestSettings } from '../../render/digest.ts';
import type { WebDeps } from '../deps.ts';
import { freshSubscription, subscribeForm } from '../pages/forms.ts';
import { notice, page, type Markup } from '../pages/layout.ts';
import { upcomingEvents } from '../pages/upcoming.ts';

export function homeRoutes(deps: WebDeps): Hono {
  const { config, clock } = deps;
  const app = new Hono();

  /** From today (by the clock, in the list's zone) for the digest's `weeks`; a calendar with errors shows no events, only a line. */
  async function comingUp(): Promise<{ heading: string; body: Markup }> {
    const loaded = await deps.loadEvents();
    if (hasErrors(loaded.findings)) {
      deps.log?.('web: home page: the calendar has errors (run event-digest check)');
      return { heading: 'Coming up', body: notice('warn', 'The event calendar cannot be shown just now. Please try again later.') };
    }
    const today = DateTime.fromJSDate(clock.now(), { zone: config.timezone }).toISODate() as string;
    const selection = selectWindow(loaded.calendar.events, windowFor(today, config.weeks, config.timezone), config.saveTheDate);
    // The archive's reader: the list's zone, every kind.
    const view = buildDigestView(selection, { zone: config.timezone, kinds: [] }, digestSettings(config, loaded.calendar), { full: true });
    return { heading: `Coming up: ${view.windowLabel}`, body: upcomingEvents(view, config.timezone) };
  }

  app.get('/', async (c) => {
    const upcoming = await comingUp();
    return c.html(
      page(
        { title: 'Home', listName: config.listName },
        html`<h1>${config.listName}</h1><p>${config.intro} <a href="#subscribe">Get them by email every week.</a></p>
<div class="home">
<section class="upcoming" aria-labelledby="coming-up"><h2 id="coming-up">${upcoming.heading}</h2>${upcoming.body}
<p><a href="/archive">Past issues</a> · <a href="/calendar.ics">Every upcoming event as a calendar</a></p></section>
<aside class="subscribe" aria-labelledby="subscribe"><h2 id="subscribe">Subscribe</h2>${subscribeForm(config, freshSubscription(config), [])}</aside>
</div>`,
      ),
    );
  });

  return app;
}
