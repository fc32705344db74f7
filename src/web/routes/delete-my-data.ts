// "Delete my data" from the preferences page: a confirmation, then a POST (CSRF-checked as every form) that
// forgets the reader exactly as `subscribers forget` does.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { forgetSubscriber } from '../../privacy/forget.ts';
import { verifyToken } from '../../subscribers/tokens.ts';
import type { WebDeps } from '../deps.ts';
import { notice, page, type Markup } from '../pages/layout.ts';

export function deleteMyDataRoutes(deps: WebDeps): Hono {
  const { config, store } = deps;
  const app = new Hono();
  const show = (c: Context, title: string, body: Markup, status: ContentfulStatusCode = 200) => c.html(page({ title, listName: config.listName }, body), status);
  const subscriberOf = async (token: string) => {
    const id = verifyToken(deps.linkSecret, 'preferences', token);
    return id === undefined ? undefined : store.subscribers.get(id);
  };
  // Also what a second click of an old link gets: the person is gone, and the page must not say who they were.
  const gone = (c: Context) => show(c, 'Nothing stored', html`<h1>Nothing is stored for this link</h1><p>Either the link is incomplete, or the data it belonged to was deleted.</p><p><a href="/subscribe">Subscribe</a></p>`, 404);

  app.get('/preferences/:token/delete', async (c) => {
    const s = await subscriberOf(c.req.param('token'));
    if (!s) return gone(c);
    return show(
      c,
      'Delete my data',
      html`<h1>Delete my data</h1><p>This erases <strong>${s.email}</strong> from ${config.listName}: your address, name, time zone and choices, and the record of which issues you were sent. You will get no more digests. It cannot be undone.</p>
<p class="hint">Only a keyed hash of the address stays, so that an organizer's list import cannot add you back. You can still subscribe again with this form later.</p>
<form method="post" action="/preferences/${c.req.param('token')}/delete"><button type="submit" class="danger">Yes, delete my data</button></form>
<p><a href="/preferences/${c.req.param('token')}">No, back to my preferences</a></p>`,
    );
  });

  app.post('/preferences/:token/delete', async (c) => {
    const s = await subscriberOf(c.req.param('token'));
    if (!s) return gone(c);
    // The outbox folder even when mail now goes through SMTP: files from a trial may still name them.
    const done = await forgetSubscriber(store, s, deps.outboxDir ?? config.outbox);
    if (done.notCompacted) deps.log?.(`web: subscriber ${s.id} forgotten, but the database could not be compacted just now: ${done.notCompacted}`);
    await store.audit.record({ action: 'forget', detail: `subscriber ${s.id}, at their request (preferences page)`, client: 'the subscriber' });
    return show(c, 'Data deleted', html`<h1>Your data is deleted</h1>${notice('ok', `Nothing about you is left on ${config.listName}'s list, and no more digests will come.`)}`);
  });

  return app;
}
