// Past issues as web pages, what "view in browser" opens: the list's default reader, no names, no tokens.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { isLocalDate } from '../../calendar/wall-time.ts';
import { issueAsSent } from '../../changes/as-sent.ts';
import { selectionPolicy } from '../../config/schema.ts';
import { requireValid } from '../../events/sources.ts';
import { buildPreview } from '../../mail/preview.ts';
import { issueNote, listSlug } from '../../mail/send-issue.ts';
import { appUrl } from '../../subscribers/links.ts';
import type { WebDeps } from '../deps.ts';
import { page } from '../pages/layout.ts';

/** The archive page is a digest, not one of ours: its inline styles, remote images, no script, no forms. */
export const ARCHIVE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; font-src https: data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

export function archiveRoutes(deps: WebDeps): Hono {
  const { config, store, clock } = deps;
  const app = new Hono();

  app.get('/archive', async (c) => {
    const issues = await store.issues.list(listSlug(config));
    return c.html(
      page(
        { title: 'Archive', listName: config.listName },
        html`<h1>Past issues</h1>${issues.length === 0
          ? html`<p>No issue has been sent yet.</p>`
          : html`<ul class="archive">${issues.map((i) => html`<li><a href="/archive/${i.windowStart}">${i.subject}</a> <span class="hint">(${i.windowStart})</span></li>`)}</ul>`}`,
      ),
    );
  });

  app.get('/archive/:date', async (c) => {
    const date = c.req.param('date');
    const issue = isLocalDate(date) ? await store.issues.find(listSlug(config), date) : undefined;
    if (!issue) return c.html(page({ title: 'Not found', listName: config.listName }, html`<h1>No issue for that date</h1><p><a href="/archive">All past issues</a></p>`), 404);
    // An issue with a snapshot is shown as it was sent; one from before snapshots, from the calendar as it is now.
    const snapshot = await store.snapshots.get(issue.id);
    const loaded = await deps.loadEvents();
    const asSent = snapshot && issueAsSent(issue, snapshot, selectionPolicy(config), 'public');
    const calendar = asSent ? { events: asSent.events, alliedCalendars: loaded.calendar.alliedCalendars } : requireValid(loaded);
    const reader = {
      address: 'archive@example.invalid',
      variant: { zone: config.timezone, kinds: [] },
      unsubscribeUrl: appUrl(config.baseUrl, 'unsubscribe'),
      preferencesUrl: appUrl(config.baseUrl, 'subscribe'),
    };
    // The full list: the digest's "N more … in the full list" links here.
    const note = await issueNote(config, store, issue.windowStart);
    const p = await buildPreview({ config, calendar, clock, asOf: issue.windowStart, reader, note, full: true, selection: asSent?.selection, changes: asSent?.changes });
    c.header('Content-Security-Policy', ARCHIVE_CSP);
    c.header('X-Frame-Options', 'SAMEORIGIN');
    return c.html(p.html);
  });

  return app;
}
