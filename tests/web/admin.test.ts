// Organizer pages through the app value: access, the preview and its checks, test send, history, subscribers, outbox.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { GMAIL_CLIP_BYTES } from '../../src/render/clip.ts';
import { preSendChecks } from '../../src/web/checks.ts';
import { ADMIN_COOKIE } from '../../src/web/middleware/admin-auth/index.ts';
import { writePartnerFeed } from '../helpers/partner-feed.ts';
import { webEnv, type WebEnv } from '../helpers/web-env.ts';
import { sendSeedIssue } from './unsubscribe.test.ts';
import { sourceLocation } from '../../src/events/sources.ts';
import { SECRET_BODY, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';

describe('admin access without a token: loopback only', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  after(() => w.close());
  it('answers a loopback client that names a loopback host', async () => {
    assert.equal((await w.req('/admin/subscribers')).status, 200);
    assert.equal((await w.req('/admin/subscribers', { remote: '::1', headers: { host: 'localhost:3000' } })).status, 200);
  });
  it('refuses another address, and a loopback client sent by a rebound name', async () => {
    assert.equal((await w.req('/admin/subscribers', { remote: '192.0.2.7' })).status, 403);
    assert.equal((await w.req('/admin', { remote: '192.0.2.7' })).status, 403);
    assert.equal((await w.req('/admin/subscribers', { headers: { host: 'attacker.example' } })).status, 403);
  });
});

describe('admin access with DIGEST_ADMIN_TOKEN', () => {
  const token = 'an organizer token 0123456789';
  let w: WebEnv;
  before(async () => void (w = await webEnv({ config: { adminToken: token } })));
  after(() => w.close());
  it('asks for the token, from anywhere, loopback included', async () => {
    const res = await w.req('/admin/subscribers');
    assert.equal(res.status, 401);
    assert.match(await res.text(), /Organizer login/);
    assert.equal((await w.req('/admin/subscribers', { headers: { authorization: 'Bearer wrong' } })).status, 401);
  });
  it('takes the bearer token', async () => {
    assert.equal((await w.req('/admin/subscribers', { remote: '192.0.2.7', headers: { authorization: `Bearer ${token}` } })).status, 200);
  });
  it('a login sets an HttpOnly, SameSite=Strict cookie that opens the pages; a wrong token does not', async () => {
    const bad = await w.post('/admin/login', { token: 'nope' });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('set-cookie'), null);
    const res = await w.post('/admin/login', { token }, { remote: '192.0.2.7' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin');
    const cookie = res.headers.get('set-cookie')!;
    assert.match(cookie, new RegExp(`^${ADMIN_COOKIE}=`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const pair = cookie.split(';')[0];
    assert.equal((await w.req('/admin/subscribers', { remote: '192.0.2.7', headers: { cookie: pair } })).status, 200);
    assert.equal((await w.req('/admin/subscribers', { remote: '192.0.2.7', headers: { cookie: `${pair}x` } })).status, 401);
  });
});

describe('the preview', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  before(async () => {
    await w.store.subscribers.add({ email: 'hal@example.org', name: 'Hal', timezone: 'Asia/Tokyo', kinds: ['webinar'] }, { source: 'test' });
  });
  after(() => w.close());

  it("shows the issue's note (event-digest note) in the HTML and the text, for that issue only", async () => {
    await w.store.notes.set('event-digest', '2016-11-28', 'No meetings on **Dec 24**.');
    try {
      assert.match(await (await w.req('/admin/preview.html?date=2016-11-28')).text(), /No meetings on <strong>Dec 24<\/strong>\./);
      assert.match(await (await w.req('/admin?date=2016-11-28')).text(), /<pre class="text" id="text-version">[^]*No meetings on Dec 24\./);
      assert.doesNotMatch(await (await w.req('/admin/preview.html?date=2016-12-05')).text(), /No meetings/);
    } finally {
      await w.store.notes.clear('event-digest', '2016-11-28');
    }
  });

  it('defaults to the next scheduled issue and shows subject, preheader, both frames, the text and the checks', async () => {
    const res = await w.req('/admin');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors 'none'/);
    assert.match(page, /name="date" value="2016-11-28"/, 'now is Friday 2016-11-25; the schedule says Monday');
    assert.match(page, /<dd id="subject">Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more \(Nov 28 – Dec 18\)/);
    assert.match(page, /<dd id="preheader">Also: #NoLameDuck/);
    assert.match(page, /<iframe class="desktop"[^>]+src="\/admin\/preview\.html\?date=2016-11-28/);
    assert.match(page, /<iframe class="phone"/);
    assert.match(page, /<pre class="text" id="text-version">[^]*#NoLameDuck/);
    assert.match(page, /class="warning">! [^<]*events\.yaml:\d+:\d+: warning: link &#39;Sign up now&#39; has no address/);
    assert.match(page, /HTML \d+\.\d KB of Gmail/);
    assert.match(page, /RE-volv Webinar: Solar in Your Community Challenge” starts at night for 1 of 1 reader \(04:00 in Asia\/Tokyo\)/);
  });

  it('the frame serves the digest sandboxed, and the .eml is the full message', async () => {
    const res = await w.req('/admin/preview.html?date=2016-11-28&tz=Europe/London&kinds=conference');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
    const html = await res.text();
    assert.match(html, /Blueprint for a Great Democracy/);
    assert.doesNotMatch(html, /RE-volv Webinar/);
    const eml = await w.req('/admin/preview.eml?date=2016-11-28');
    assert.match(eml.headers.get('content-disposition') ?? '', /attachment; filename="digest-2016-11-28\.eml"/);
    const mail = await simpleParser(Buffer.from(await eml.arrayBuffer()));
    assert.ok(mail.html && mail.text);
    assert.ok(mail.headerLines.some((l) => l.key === 'list-unsubscribe-post'));
  });

  it('as a real subscriber: their zone, kinds and name', async () => {
    const html = await (await w.req('/admin/preview.html?date=2016-11-28&subscriber=HAL%40example.org')).text();
    assert.match(html, /Hal/);
    assert.doesNotMatch(html, /#NoLameDuck/);
    assert.equal((await w.req('/admin?subscriber=nobody%40example.org')).status, 400);
  });

  it('bad input is a 400 with the reason on the page', async () => {
    const res = await w.req('/admin?date=2016-13-45&tz=Mars/Base&kinds=rave');
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(page, /&#39;2016-13-45&#39; is not a date/);
    assert.match(page, /&#39;Mars\/Base&#39; is not a known IANA time zone/);
    assert.match(page, /unknown kind &#39;rave&#39;/);
    assert.equal((await w.req('/admin/preview.html?tz=Mars/Base')).status, 400);
  });

  it('an edit of the calendar shows on reload; a calendar with errors shows them instead of a digest', async () => {
    const path = sourceLocation(w.config.events[0]);
    const original = readFileSync(path, 'utf8');
    try {
      writeFileSync(path, original.replace('Blueprint for a Great Democracy', 'Blueprint for a Greater Democracy'));
      assert.match(await (await w.req('/admin?date=2016-11-28')).text(), /Blueprint for a Greater Democracy/);
      writeFileSync(path, original.replace('kind: webinar', 'kind: webinar\n    start: not a time'));
      const res = await w.req('/admin?date=2016-11-28');
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.match(page, /the calendar has errors/);
      assert.match(page, /class="error">✗ [^<]*events\.yaml:\d+:\d+: error:/);
    } finally {
      writeFileSync(path, original);
    }
  });
});

describe('the checks show what a feed skipped and what the cap cut', () => {
  const feed = writePartnerFeed('FREQ=HOURLY');
  let w: WebEnv;
  before(async () => void (w = await webEnv({ config: { events: [resolve('data/events.yaml'), { path: feed, onInvalidEvent: 'skip' }], maxInstancesPerEvent: 20 } })));
  after(() => w.close());
  it('lists the skipped event by UID and line, and the event cut at maxInstancesPerEvent, as warnings beside the digest', async () => {
    const res = await w.req('/admin?date=2016-11-28');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /class="warning">[^<]*partners\.ics:8:1: warning: event UID backwards@partners: end .* is before start .* \(event skipped\)/);
    assert.match(page, /class="warning">[^<]*partners\.ics:15:1: warning: event UID ticker@partners: more than 20 occurrences in the window 2016-11-28 – 2016-12-19; the first 20 are listed \(maxInstancesPerEvent\)/);
  });
});

describe('checks', () => {
  const win = windowFor('2016-11-28', 3, 'America/New_York');
  it('flags a digest over Gmail clip size and sections left empty', () => {
    const checks = preSendChecks({ findings: [], selection: selectWindow([], win, { kinds: [], months: 0 }), kinds: ['action', 'webinar'], htmlBytes: GMAIL_CLIP_BYTES + 1, readerZones: new Map(), listZone: 'America/New_York' });
    assert.ok(checks.some((c) => c.severity === 'error' && /Gmail clips/.test(c.message)));
    assert.ok(checks.some((c) => /no actions in this window/.test(c.message)));
    assert.ok(checks.some((c) => /no webinars in this window/.test(c.message)));
    assert.ok(checks.some((c) => /nothing is scheduled/.test(c.message)));
  });
});

describe('test send, history, subscribers, outbox', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  before(async () => {
    await w.store.subscribers.add({ email: 'ida@example.org', name: 'Ida', kinds: ['webinar'] }, { source: 'test' });
    await w.store.subscribers.add({ email: 'jo@example.org' }, { source: 'test' });
    await w.store.subscribers.requestSubscription({ email: 'kim@example.org' }, 'test');
    await sendSeedIssue(w);
  });
  after(() => w.close());

  it('"send a test to me" puts a [Test] message in the outbox and records nothing', async () => {
    const res = await w.post('/admin/test', { to: 'organizer@example.org', date: '2016-11-28' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Test sent/);
    const mails = await w.mails('test');
    assert.equal(mails.length, 1);
    assert.match(mails[0].subject ?? '', /^\[Test\] Dec 6: RE-volv Webinar/);
    assert.equal(await w.store.subscribers.findByEmail('organizer@example.org'), undefined);
    const bad = await w.post('/admin/test', { to: 'not an address' });
    assert.equal(bad.status, 400);
    assert.equal((await w.post('/admin/test', { to: 'x@example.org' }, { headers: { origin: 'https://evil.example' } })).status, 403);
  });

  it('history lists the issue with its counts', async () => {
    const page = await (await w.req('/admin/history')).text();
    assert.match(page, /<a href="\/archive\/2016-11-28">2016-11-28<\/a><\/td><td>Dec 6: RE-volv Webinar[^<]*<\/td><td class="num">2<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td>/);
  });

  it('subscribers by status and by kind', async () => {
    const page = await (await w.req('/admin/subscribers')).text();
    assert.match(page, /data-status="active">2</);
    assert.match(page, /data-status="pending">1</);
    assert.match(page, /data-kind="webinar">2</);
    assert.match(page, /data-kind="action">1</);
  });

  it('the outbox as a mailbox: the list, one message, its HTML sandboxed; nothing outside the outbox', async () => {
    const list = await (await w.req('/admin/outbox')).text();
    assert.match(list, /3 messages in/);
    const href = /href="(\/admin\/outbox\/event-digest-2016-11-28\/[^"]+\.eml)"/.exec(list)![1];
    const one = await w.req(href);
    assert.equal(one.status, 200);
    const page = await one.text();
    assert.match(page, /list-unsubscribe-post<\/th><td>List-Unsubscribe=One-Click/);
    const frame = await w.req(`${href}/html`);
    assert.match(frame.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.match(await frame.text(), /<html/);
    for (const evil of ['/admin/outbox/..%2F..%2Fetc/passwd', '/admin/outbox/event-digest-2016-11-28/..%2Fdigest.db', '/admin/outbox/notices/nothing.eml']) {
      assert.equal((await w.req(evil)).status, 404, evil);
    }
  });
});

describe('an empty window', () => {
  it('says so and links to the issues that list the nearest events (a fresh clone today, with the 2016 seed)', async () => {
    const w = await webEnv({ now: '2026-11-27T12:00:00Z' });
    try {
      const page = await (await w.req('/admin')).text();
      assert.match(page, /name="date" value="2026-11-30"/);
      assert.match(page, /Nothing is scheduled for this reader in this window/);
      assert.match(page, /RE-volv Webinar: Solar in Your Community Challenge \(from 2016-12-06\): <a href="\/admin\?date=2016-12-05&amp;tz=America%2FNew_York">preview the 2016-12-05 issue/);
      assert.match(page, /#NoLameDuck Uprising: Stop the TPP \(from 2016-11-14\): <a href="\/admin\?date=2016-11-14&amp;/);
    } finally {
      w.close();
    }
  });
});

describe('the checks show an optional feed that failed', () => {
  let w: WebEnv;
  let feeds: FeedServer;
  before(async () => {
    feeds = await startFeedServer();
    w = await webEnv({ config: { events: [resolve('data/events.yaml'), { url: `${feeds.base}/page.ics`, optional: true }] } });
  });
  after(async () => {
    await w.close();
    await feeds.close();
  });
  it('as a warning naming URL, status and content type (never the body), and the preview is still built', async () => {
    const res = await w.req('/admin?date=2016-11-28');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /class="warning">[^<]*\/page\.ics:1:1: warning: could not fetch the feed: HTTP 200 answered text\/html; charset=utf-8, not a calendar; optional feed left out \(no last good copy\)/);
    assert.ok(!page.includes(SECRET_BODY));
    assert.match(page, /Blueprint for a Great Democracy/);
  });
});
