// Unsubscribe as RFC 8058 says, by kind, and preferences, with the links taken from a digest really sent to the outbox.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { requireValid } from '../../src/events/sources.ts';
import { sendIssue } from '../../src/mail/send-issue.ts';
import { linkIn, pathOf, selectedZones, tickedKinds, webEnv, BASE, type WebEnv } from '../helpers/web-env.ts';

/** Sends the 2016-11-28 issue to the store's active subscribers through the env's outbox. */
export async function sendSeedIssue(w: WebEnv): Promise<void> {
  const calendar = requireValid(await w.deps.loadEvents());
  const selection = selectWindow(calendar.events, windowFor('2016-11-28', w.config.weeks, w.config.timezone), w.config.saveTheDate);
  const r = await sendIssue({ config: w.config, calendar, selection, store: w.store, transport: w.deps.transport, clock: w.clock });
  assert.equal(r.kind, 'sent');
}

describe('unsubscribe from a sent digest', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  let link = '';
  let prefs = '';
  let id = 0;
  before(async () => {
    id = (await w.store.subscribers.add({ email: 'eve@example.org', name: 'Eve', timezone: 'America/Los_Angeles' }, { source: 'test' })).subscriber.id;
    await w.store.subscribers.add({ email: 'fay@example.org', name: 'Fay' }, { source: 'test' });
    await sendSeedIssue(w);
    const mail = (await w.mails('event-digest-2016-11-28')).find((m) => m.text?.includes('Eve'))!;
    assert.ok(mail, "Eve's digest is in the outbox");
    link = mail.headerLines.find((l) => l.key === 'list-unsubscribe')!.line.match(/<(http[^>]+)>/)![1];
    assert.equal(link, linkIn(mail, `${BASE}/unsubscribe/`), 'the header and the body carry the same link');
    prefs = linkIn(mail, `${BASE}/preferences/`);
  });
  after(() => w.close());

  it('GET shows a button and changes nothing (mail scanners fetch every link)', async () => {
    const res = await w.req(pathOf(link));
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe<\/button>/);
    assert.match(page, /eve@example\.org/);
    assert.equal((await w.store.subscribers.get(id))!.status, 'active');
  });

  it('an altered token is a 404 that names nobody; a sample link from a preview too', async () => {
    const token = pathOf(link).split('/')[2];
    const flipped = token.slice(0, 5) + (token[5] === 'x' ? 'y' : 'x') + token.slice(6);
    for (const path of [`/unsubscribe/${flipped}`, `/unsubscribe/${token}x`, '/unsubscribe/sample', `/preferences/${token}`]) {
      const res = await w.req(path);
      assert.equal(res.status, 404, path);
      const page = await res.text();
      assert.doesNotMatch(page, /eve@example\.org|\bEve\b/, path);
      // A provider's one-click POST comes from elsewhere; with a bad token it is a 404 all the same.
      if (path.startsWith('/unsubscribe/')) assert.equal((await w.post(path, { 'List-Unsubscribe': 'One-Click' }, { headers: { origin: 'https://mail.example' } })).status, 404);
    }
    assert.equal((await w.store.subscribers.get(id))!.status, 'active');
  });

  it('"only stop webinars" keeps the rest', async () => {
    const res = await w.post(pathOf(link), { stop: 'webinar' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /no longer get webinars/);
    const s = (await w.store.subscribers.get(id))!;
    assert.equal(s.status, 'active');
    assert.deepEqual(s.kinds, ['action', 'conference']);
  });

  it('the one-click POST (RFC 8058): no cookie, no Origin, 200 and no redirect', async () => {
    const res = await w.req(pathOf(link), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /You are unsubscribed/);
    assert.equal((await w.store.subscribers.get(id))!.status, 'unsubscribed');
    assert.equal((await w.store.subscribers.findByEmail('fay@example.org'))!.status, 'active', 'nobody else');
    // Again: still 200, still unsubscribed (providers may retry).
    assert.equal((await w.post(pathOf(link), { 'List-Unsubscribe': 'One-Click' })).status, 200);
  });

  it('a multipart one-click body works too (some providers send it)', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const fay = (await w.store.subscribers.findByEmail('fay@example.org'))!;
    const mail = (await w.mails('event-digest-2016-11-28')).find((m) => m.text?.includes('Fay'))!;
    const res = await w.req(pathOf(linkIn(mail, `${BASE}/unsubscribe/`)), { method: 'POST', body: form });
    assert.equal(res.status, 200);
    assert.equal((await w.store.subscribers.get(fay.id))!.status, 'unsubscribed');
  });

  it('the preferences page of an unsubscribed reader says so', async () => {
    const res = await w.req(pathOf(prefs));
    assert.equal(res.status, 200);
    assert.match(await res.text(), /This address is unsubscribed/);
  });
});

describe('preferences', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  let prefs = '';
  let id = 0;
  before(async () => {
    id = (await w.store.subscribers.add({ email: 'gus@example.org', name: 'Gus' }, { source: 'test' })).subscriber.id;
    await sendSeedIssue(w);
    prefs = pathOf(linkIn((await w.mails('event-digest-2016-11-28'))[0], `${BASE}/preferences/`));
  });
  after(() => w.close());

  it('shows the stored choices', async () => {
    const res = await w.req(prefs);
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /name="name" value="Gus"/);
    assert.deepEqual(selectedZones(page), ['America/New_York']);
    assert.doesNotMatch(page, /data-detect-zone/, 'a stored zone is never replaced by the browser’s');
    assert.deepEqual(tickedKinds(page), ['action', 'webinar', 'conference'], 'every kind (stored as none chosen) is every box ticked');
    assert.match(page, /gus@example\.org/);
  });

  it('saves name, zone and kinds, and the next preview for that reader follows them', async () => {
    const res = await w.post(prefs, { name: 'Gustav', timezone: 'Asia/Tokyo', kinds: ['webinar'] });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Saved/);
    const s = (await w.store.subscribers.get(id))!;
    assert.deepEqual([s.name, s.timezone, s.kinds], ['Gustav', 'Asia/Tokyo', ['webinar']]);
    const preview = await (await w.req('/admin/preview.html?date=2016-11-28&subscriber=gus%40example.org')).text();
    assert.match(preview, /Gustav/);
    assert.match(preview, /Japan|Tokyo/, 'times in the new zone');
    assert.doesNotMatch(preview, /#NoLameDuck/, 'no actions any more');
  });

  it('refuses an unknown zone and no kinds with a message, saving nothing', async () => {
    const res = await w.post(prefs, { name: 'X', timezone: 'Nowhere/Land', kinds: [] });
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(page, /unknown time zone &#39;Nowhere\/Land&#39;/);
    assert.match(page, /Pick at least one kind/);
    assert.equal((await w.store.subscribers.get(id))!.name, 'Gustav');
    assert.match(page, /name="name" value="X"/, 'the form keeps what was sent');
    assert.deepEqual(selectedZones(page), ['Nowhere/Land']);
    assert.deepEqual(tickedKinds(page), [], 'no box ticked comes back with none ticked, not every one');
    const some = await (await w.post(prefs, { name: 'Gus\nX', timezone: 'Europe/Oslo', kinds: ['conference'] })).text();
    assert.deepEqual([selectedZones(some), tickedKinds(some)], [['Europe/Oslo'], ['conference']]);
  });

  it('ticking every kind stores "all", so kinds added later reach the reader', async () => {
    await w.post(prefs, { name: 'Gustav', timezone: 'Asia/Tokyo', kinds: ['action', 'webinar', 'conference'] });
    assert.deepEqual((await w.store.subscribers.get(id))!.kinds, []);
  });

  it('a cross-site post is refused', async () => {
    const res = await w.post(prefs, { name: 'Mallory', kinds: ['action'] }, { headers: { origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.equal((await w.store.subscribers.get(id))!.name, 'Gustav');
  });
});
