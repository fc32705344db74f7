// Double opt-in through the app value: the form, the confirmation mail in the outbox, the confirm page, limits and bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signToken } from '../../src/subscribers/tokens.ts';
import type { Config } from '../../src/config/schema.ts';
import { linkIn, pathOf, selectedZones, tickedKinds, webEnv, BASE, type WebEnv } from '../helpers/web-env.ts';

const ann = { email: 'Ann@Example.org', name: 'Ann Lee', timezone: 'Europe/Berlin', kinds: ['webinar', 'conference'] };

describe('subscribe and confirm', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  after(() => w.close());

  it('shows the form with every kind ticked and the list zone chosen in the zone list', async () => {
    const res = await w.req('/subscribe');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /<form method="post" action="\/subscribe"/);
    for (const k of ['action', 'webinar', 'conference']) assert.match(page, new RegExp(`name="kinds" value="${k}" checked`));
    assert.match(page, /<select id="timezone" name="timezone" data-detect-zone>/, "a fresh form: the page's script may pick the browser's zone");
    assert.deepEqual(selectedZones(page), ['America/New_York']);
    assert.match(page, /<optgroup label="Europe">[^]*<option value="Europe\/Berlin">Berlin<\/option>/);
    assert.match(page, /<option value="America\/Indiana\/Knox">Knox \(Indiana\)<\/option>/);
    assert.match(page, /<option value="Asia\/Kolkata" data-alias="Asia\/Calcutta">Kolkata<\/option>/, 'IANA’s current name, not ICU’s Calcutta');
    assert.match(page, /<optgroup label="Other">[^]*<option value="UTC">UTC<\/option>/);
  });

  it('stores the address as pending and mails a confirmation link; only the link (then its button) activates it', async () => {
    const res = await w.post('/subscribe', ann);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Check your inbox/);
    const s = (await w.store.subscribers.findByEmail('ann@example.org'))!;
    assert.equal(s.status, 'pending');
    assert.equal(s.timezone, 'Europe/Berlin');
    assert.deepEqual(s.kinds, ['webinar', 'conference']);

    const mails = await w.mails();
    assert.equal(mails.length, 1);
    assert.equal(mails[0].to && !Array.isArray(mails[0].to) ? mails[0].to.value[0].address : '', 'Ann@example.org');
    assert.match(mails[0].subject ?? '', /Confirm your subscription/);
    assert.ok(mails[0].html, 'the confirmation has an HTML part too');
    const link = linkIn(mails[0], `${BASE}/confirm/`);
    assert.ok(!link.toLowerCase().includes('ann'), 'no address in the link');

    const get = await w.req(pathOf(link));
    assert.equal(get.status, 200);
    assert.match(await get.text(), /<button type="submit">Confirm my subscription/);
    assert.equal((await w.store.subscribers.get(s.id))!.status, 'pending', 'a GET (a mail scanner) confirms nothing');

    const post = await w.post(pathOf(link), {});
    assert.equal(post.status, 200);
    assert.match(await post.text(), /You are subscribed/);
    assert.equal((await w.store.subscribers.get(s.id))!.status, 'active');
  });

  it("answers the same page whatever the address's state, and never mails a bounced address", async () => {
    await w.store.subscribers.add({ email: 'bounced@example.org' }, { source: 'test' });
    await w.store.subscribers.suppress((await w.store.subscribers.findByEmail('bounced@example.org'))!.id, 'bounced');
    const before = (await w.mails()).length;
    const pages: string[] = [];
    for (const email of ['ann@example.org', 'bounced@example.org', 'new.person@example.org']) {
      const res = await w.post('/subscribe', { email, name: '', timezone: 'America/Chicago', kinds: ['action'] });
      assert.equal(res.status, 200);
      pages.push((await res.text()).replace(email, 'ADDRESS'));
    }
    assert.equal(pages[0], pages[1]);
    assert.equal(pages[1], pages[2]);
    const all = await w.mails();
    assert.equal(all.length, before + 2);
    const to = all.map((m) => (m.to && !Array.isArray(m.to) ? m.to.value[0].address : ''));
    assert.ok(!to.includes('bounced@example.org'));
    assert.ok(to.includes('new.person@example.org'));
    const toAnn = all.find((m) => m.subject?.includes('already'));
    assert.ok(toAnn, 'the active address hears that it is already subscribed, with its preferences link');
    assert.match(toAnn!.text ?? '', /\/preferences\//);
    const active = (await w.store.subscribers.findByEmail('ann@example.org'))!;
    assert.equal(active.timezone, 'Europe/Berlin', 'a request for an active address changes nothing');
  });
});

describe('confirmation links', () => {
  it('expire after seven days, fail when altered, and an old one does not undo a later unsubscribe', async () => {
    const w = await webEnv();
    try {
      await w.post('/subscribe', { email: 'bo@example.org', timezone: 'America/New_York', kinds: ['action'] });
      const link = pathOf(linkIn((await w.mails())[0], `${BASE}/confirm/`));
      const altered = link.slice(0, -2) + (link.endsWith('A') ? 'BB' : 'AA');
      assert.equal((await w.req(altered)).status, 404);
      assert.equal((await w.post(altered, {})).status, 404);

      w.clock.advance(8 * 24 * 3600 * 1000);
      const late = await w.req(link);
      assert.equal(late.status, 404);
      assert.doesNotMatch(await late.text(), /bo@example\.org/);
      w.clock.advance(-8 * 24 * 3600 * 1000);

      assert.equal((await w.post(link, {})).status, 200);
      const id = (await w.store.subscribers.findByEmail('bo@example.org'))!.id;
      w.clock.advance(60_000);
      await w.store.subscribers.unsubscribe(id);
      w.clock.advance(60_000);
      assert.equal((await w.post(link, {})).status, 404, 'the link predates the unsubscribe');
      assert.equal((await w.store.subscribers.get(id))!.status, 'unsubscribed');

      // Asking again through the form brings a fresh link that does bring the address back.
      w.clock.advance(2 * 3600 * 1000);
      await w.post('/subscribe', { email: 'bo@example.org', timezone: 'America/New_York', kinds: ['action'] });
      const mails = await w.mails();
      const fresh = pathOf(linkIn(mails[mails.length - 1], `${BASE}/confirm/`));
      assert.notEqual(fresh, link);
      assert.equal((await w.post(fresh, {})).status, 200);
      assert.equal((await w.store.subscribers.get(id))!.status, 'active');
    } finally {
      w.close();
    }
  });

  it('a token signed for another purpose or with another secret is refused', async () => {
    const w = await webEnv();
    try {
      const { subscriber } = await w.store.subscribers.requestSubscription({ email: 'cy@example.org' }, 'test');
      const now = w.clock.now();
      assert.equal((await w.req(`/confirm/${signToken(w.deps.linkSecret, 'preferences', subscriber.id, now)}`)).status, 404);
      assert.equal((await w.req(`/confirm/${signToken('another secret of some length', 'confirm', subscriber.id, now)}`)).status, 404);
      assert.equal((await w.req(`/confirm/${signToken(w.deps.linkSecret, 'confirm', subscriber.id)}`)).status, 404, 'an undated confirm token');
      assert.equal((await w.req(`/confirm/${signToken(w.deps.linkSecret, 'confirm', subscriber.id, now)}`)).status, 200);
    } finally {
      w.close();
    }
  });
});

describe('rate limits', () => {
  it('mails one address at most twice an hour, with the same page each time', async () => {
    const w = await webEnv();
    try {
      const pages = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const res = await w.post('/subscribe', { email: 'dee@example.org', timezone: 'America/New_York', kinds: ['action'] });
        assert.equal(res.status, 200);
        pages.add(await res.text());
      }
      assert.equal(pages.size, 1);
      assert.equal((await w.mails()).length, 2);
      w.clock.advance(3600 * 1000);
      await w.post('/subscribe', { email: 'dee@example.org', timezone: 'America/New_York', kinds: ['action'] });
      assert.equal((await w.mails()).length, 3, 'a new hour, a new mail');
    } finally {
      w.close();
    }
  });

  it('answers 429 to a client that posts too often, and keeps other clients apart', async () => {
    const w = await webEnv({ config: { limits: { formPosts: 3, windowMinutes: 10 } as Config['limits'] } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await w.post('/subscribe', { email: `p${i}@example.org`, kinds: ['action'] }, { remote: '203.0.113.9' })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.equal((await w.post('/subscribe', { email: 'q@example.org', kinds: ['action'] }, { remote: '203.0.113.10' })).status, 200);
      w.clock.advance(600_000);
      assert.equal((await w.post('/subscribe', { email: 'r@example.org', kinds: ['action'] }, { remote: '203.0.113.9' })).status, 200);
    } finally {
      await w.close();
    }
  });
});

describe('bad input gets a clear message and a 4xx, never a 500', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  after(() => w.close());
  const cases: [string, Record<string, string | string[]>, RegExp][] = [
    ['a malformed address', { email: 'not-an-address', kinds: ['action'] }, /Email address: /],
    ['a header-injection attempt', { email: 'x@example.org\r\nBcc: y@example.org', kinds: ['action'] }, /Email address: /],
    ['an unknown zone', { email: 'z@example.org', timezone: 'Mars/Olympus', kinds: ['action'] }, /Time zone: unknown time zone &#39;Mars\/Olympus&#39;/],
    ['no kind', { email: 'z@example.org' }, /Pick at least one kind/],
    ['an unknown kind', { email: 'z@example.org', kinds: ['rave'] }, /unknown kind &#39;rave&#39;/],
    ['a name with a line break', { email: 'z@example.org', name: 'Zed\nBcc: x', kinds: ['action'] }, /Name: the name contains a line break/],
  ];
  for (const [what, fields, message] of cases) {
    it(what, async () => {
      const res = await w.post('/subscribe', fields);
      assert.equal(res.status, 400);
      const page = await res.text();
      assert.match(page, message);
      assert.match(page, /<form method="post" action="\/subscribe"/, 'the form comes back, filled in');
      assert.doesNotMatch(page, /data-detect-zone/, "the script leaves the zone that was sent alone");
      assert.equal(await w.store.subscribers.findByEmail('z@example.org'), undefined);
    });
  }

  it('a failed form keeps what was sent: address, name, zone and exactly the kinds ticked', async () => {
    const res = await w.post('/subscribe', { email: 'not-an-address', name: 'Zoë', timezone: 'Asia/Tokyo', kinds: ['webinar'] });
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(page, /name="email" value="not-an-address"/);
    assert.match(page, /name="name" value="Zoë"/);
    assert.deepEqual(selectedZones(page), ['Asia/Tokyo']);
    assert.deepEqual(tickedKinds(page), ['webinar']);
    const none = await (await w.post('/subscribe', { email: 'z@example.org', timezone: 'Mars/Olympus' })).text();
    assert.deepEqual(tickedKinds(none), [], 'none ticked stays none');
    assert.deepEqual(selectedZones(none), ['Mars/Olympus'], 'a zone the list lacks is kept, shown first');
  });

  it('an oversized body is refused before it is read', async () => {
    const res = await w.post('/subscribe', { email: 'big@example.org', name: 'x'.repeat(40_000), kinds: ['action'] });
    assert.equal(res.status, 413);
    assert.match(await res.text(), /nothing was saved/);
    assert.equal(await w.store.subscribers.findByEmail('big@example.org'), undefined);
  });

  it('a form posted from another site is refused (403), as is one with no Origin', async () => {
    const evil = await w.post('/subscribe', { email: 'csrf@example.org', kinds: ['action'] }, { headers: { origin: 'https://evil.example' } });
    assert.equal(evil.status, 403);
    assert.match(await evil.text(), /sent from another site/);
    const body = new URLSearchParams({ email: 'csrf@example.org', kinds: 'action' });
    const bare = await w.req('/subscribe', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(bare.status, 403);
    assert.equal(await w.store.subscribers.findByEmail('csrf@example.org'), undefined);
  });
});

