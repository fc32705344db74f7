// The web app as a value: routes, security middleware and error pages; serve.ts is the only file that listens.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { DigestError } from '../errors.ts';
import { publicCalendar } from '../events/private-details.ts';
import type { LoadedCalendar } from '../events/sources.ts';
import type { WebDeps } from './deps.ts';
import { webLimits } from './limits.ts';
import { formBodies, loggedPath, noStore, postRateLimit } from './middleware/request-guards/index.ts';
import { pageHeaders } from './middleware/security-headers/index.ts';
import { SITE_CSS, SITE_JS } from './pages/assets.ts';
import { page } from './pages/layout.ts';
import { adminRoutes } from './routes/admin.ts';
import { IMPORT_PATH } from './routes/admin-subscribers.ts';
import { archiveRoutes } from './routes/archive.ts';
import { deleteMyDataRoutes } from './routes/delete-my-data.ts';
import { eventPageRoutes } from './routes/event-page.ts';
import { homeRoutes } from './routes/home.ts';
import { calendarRoutes } from './routes/public-calendar.ts';
import { readerRoutes } from './routes/reader.ts';

/** Forms are small: anything larger is refused before it is read. */
export const MAX_BODY_BYTES = 16 * 1024;

/** RFC 8058: mail providers post the one-click unsubscribe from their servers, with no Origin; the signed token is the authority. */
const ONE_CLICK = /^\/unsubscribe\/[^/]+$/;

function publicLoaded(loaded: LoadedCalendar): LoadedCalendar {
  const calendar = publicCalendar(loaded.calendar);
  return calendar === loaded.calendar ? loaded : { ...loaded, calendar };
}

export function createApp(deps: WebDeps): Hono {
  const { config } = deps;
  const app = new Hono();
  const publicOrigin = new URL(config.baseUrl).origin;
  const limits = webLimits(config, deps.clock, deps.store.rateLimits);
  const errorPage = (c: Context, status: 400 | 403 | 404 | 413 | 429 | 500 | 503, title: string, text: string) =>
    c.html(page({ title, listName: config.listName }, html`<h1>${title}</h1><p>${text}</p>`), status);
  const log = (c: Context, what: string) => deps.log?.(`web: ${c.req.method} ${loggedPath(c.req.path)}: ${what}`);

  app.use('*', pageHeaders({ hsts: config.baseUrl.startsWith('https:') }));
  app.use('*', noStore());
  const formLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorPage(c, 413, 'Too large', 'That form was larger than any of ours; nothing was saved.') });
  // The organizer's CSV import takes its own, larger limit, behind the admin authentication.
  app.use('*', (c, next) => (c.req.path === IMPORT_PATH ? next() : formLimit(c, next)));
  app.use(
    '*',
    postRateLimit(
      (path) => (path === '/admin/login' ? limits.login : ONE_CLICK.test(path) ? undefined : limits.perClient),
      (c) => {
        c.header('Retry-After', String(config.limits.windowMinutes * 60));
        return errorPage(c, 429, 'Too many requests', 'Please wait a few minutes and try again.');
      },
    ),
  );
  const readableForm = formBodies((c, why) => {
    log(c, `400 malformed form body (${why})`);
    return errorPage(c, 400, 'Bad request', 'The form could not be read; nothing was saved.');
  });
  // The import's body is read by its route only, after the organizer's authentication and its own limit.
  app.use('*', (c, next) => (c.req.path === IMPORT_PATH ? next() : readableForm(c, next)));
  const forgery = csrf({ origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin });
  app.use('*', (c, next) => (c.req.method === 'POST' && ONE_CLICK.test(c.req.path) ? next() : forgery(c, next)));

  app.get('/assets/site.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/assets/site.js', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(SITE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  // Browsers ask for it on every first visit; there is none, and a 404 would only fill logs.
  app.get('/favicon.ico', (c) => c.body(null, 204));

  // The public pages and feeds see the calendar without private places and links; mail and /admin see it whole.
  const publicDeps: WebDeps = { ...deps, loadEvents: async () => publicLoaded(await deps.loadEvents()) };
  app.route('/', homeRoutes(publicDeps));
  app.route('/', readerRoutes(deps, limits));
  app.route('/', deleteMyDataRoutes(deps));
  app.route('/', archiveRoutes(publicDeps));
  app.route('/', calendarRoutes(publicDeps));
  app.route('/', eventPageRoutes(publicDeps));
  app.route('/admin', adminRoutes(deps, config.limits.adminSessionHours * 3600_000));

  app.notFound((c) => errorPage(c, 404, 'Not found', 'There is nothing at this address.'));
  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status === 403) return errorPage(c, 403, 'Form refused', 'That form was sent from another site, so it was not accepted. Open the page here and send it again.');
    if (err instanceof HTTPException && err.status < 500) return errorPage(c, err.status === 413 ? 413 : 400, 'Bad request', 'The request could not be read.');
    // A calendar that cannot be read: the organizer's problem, said in one line without internals.
    if (err instanceof DigestError) {
      log(c, err.message);
      return errorPage(c, 503, 'Not available just now', 'The event calendar could not be read. Please try again later.');
    }
    log(c, err.stack ?? err.message);
    return errorPage(c, 500, 'Something went wrong', 'Please try again later.');
  });
  return app;
}
