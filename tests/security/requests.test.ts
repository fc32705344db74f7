// The reader pages' requests over a real loopback HTTP server: malformed bodies, rate limits on every POST,
// caching, HSTS, names with invisible formatting, the confirmation mail's To:, and a pending subscriber's
// choices changing only through a confirmation link. Plus the shared CSV cell helper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../src/web/app.ts';
import { listen } from '../../src/web/serve.ts';
import { signToken } from '../../src/subscribers/tokens.ts';
import { csvRecord, spreadsheetSafe } from '../../src/subscribers/csv-cell.ts';
import { linkIn, pathOf, webEnv, type WebEnv } from '../helpers/web-env.ts';

async function served(w: WebEnv, log: string[] = []) {
  const server = await listen(createApp({ ...w.deps, log: (l) => log.push(l) }), '127.0.0.1', 0);
  const post = (path: string, body: string, type = 'application/x-www-form-urlencoded', origin: string | null = server.url) =>
    fetch(`${server.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': type, ...(origin ? { origin } : {}) }, body });
  return { url: server.url, post, log, close: () => server.close() };
}

/** Runs the test against the app served over HTTP, then closes the server and the store. */
async function withServed(w: WebEnv, fn: (s: Awaited<ReturnType<typeof served>>) => Promise<void>): Promise<void> {
  const s = await served(w);
  try {
    await fn(s);
  } finally {
    await s.close();
    await w.close();
  }
}

test('a malformed multipart body is a 400 with one log line, the token in its path cut off', async () => {
  const w = await webEnv();
  const { subscriber } = await w.store.subscribers.add({ email: 'ann@example.org' }, { source: 'test' });
  const token = signToken(w.deps.linkSecret, 'preferences', subscriber.id);
  await withServed(w, async (s) => {
    const r = await s.post(`/preferences/${token}`, '--XYZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nAnn', 'multipart/form-data; boundary=XYZ');
    assert.equal(r.status, 400);
    assert.doesNotMatch(await r.text(), /at |Error|stack/);
    assert.equal(s.log.length, 1, s.log.join('\n'));
    assert.match(s.log[0], /^web: POST \/preferences\/…: 400 malformed form body \(.+\)$/);
    assert.ok(!s.log[0].includes(token) && !s.log[0].includes('\n'));
    assert.equal((await w.store.subscribers.get(subscriber.id))?.name, null, 'nothing saved');
  });
});

test('every POST is rate-limited per client; the RFC 8058 one-click has its own, larger limit', async () => {
  const w = await webEnv({ config: { limits: { formPosts: 3, loginAttempts: 10, oneClickPosts: 6, windowMinutes: 10, mailsPerAddressPerHour: 2, adminSessionHours: 12, feedTimeoutSeconds: 20, feedMaxBytes: 1e6, feedMaxRedirects: 5, eventsFileMaxBytes: 1e6, calendarRefreshMinutes: 5 } } });
  const { subscriber } = await w.store.subscribers.add({ email: 'ann@example.org' }, { source: 'test' });
  const prefs = `/preferences/${signToken(w.deps.linkSecret, 'preferences', subscriber.id)}`;
  const unsub = `/unsubscribe/${signToken(w.deps.linkSecret, 'unsubscribe', subscriber.id)}`;
  const confirm = `/confirm/${signToken(w.deps.linkSecret, 'confirm', subscriber.id, w.clock.now())}`;
  const forms: [string, string][] = [
    ['/subscribe', 'email=x%40example.org&kinds=action'],
    [confirm, ''],
    [prefs, 'name=Ann&timezone=Europe%2FBerlin&kinds=action'],
    [unsub, 'stop=webinar'],
    ['/admin/test', 'to=me%40example.org'],
  ];
  for (const [path, body] of forms) {
    w.clock.advance(10 * 60_000); // a new window: the counts are in the database, shared by every app on it
    const s = await served(w);
    try {
      for (let i = 0; i < 3; i++) assert.notEqual((await s.post(path, body)).status, 429, `${path} #${i + 1}`);
      const over = await s.post(path, body);
      assert.equal(over.status, 429, path);
      assert.equal(over.headers.get('retry-after'), '600');
    } finally {
      await s.close();
    }
  }
  await withServed(w, async (s) => {
    // Mail providers post with no Origin; six of them pass where forms would stop at three.
    for (let i = 0; i < 6; i++) assert.equal((await s.post(unsub, 'List-Unsubscribe=One-Click', undefined, null)).status, 200, `one-click #${i + 1}`);
    assert.equal((await s.post(unsub, 'List-Unsubscribe=One-Click', undefined, null)).status, 429);
    w.clock.advance(10 * 60_000);
    assert.equal((await s.post(unsub, 'List-Unsubscribe=One-Click', undefined, null)).status, 200);
  });
});

test('token pages and organizer pages are not cached; HSTS only when baseUrl is https', async () => {
  const w = await webEnv();
  await withServed(w, async (s) => {
    for (const path of ['/confirm/x.y', '/unsubscribe/x.y', '/preferences/x.y', '/admin', '/admin/login']) {
      assert.equal((await fetch(`${s.url}${path}`)).headers.get('cache-control'), 'no-store', path);
    }
    assert.equal((await fetch(`${s.url}/subscribe`)).headers.get('cache-control'), null);
    assert.equal((await fetch(`${s.url}/subscribe`)).headers.get('strict-transport-security'), null, 'http baseUrl: no HSTS');
  });
  const tls = await webEnv({ config: { baseUrl: 'https://digest.example.org' } });
  await withServed(tls, async (t) => {
    assert.match((await fetch(`${t.url}/subscribe`)).headers.get('strict-transport-security') ?? '', /^max-age=\d+/);
  });
});

test('names with a bidi override or a zero-width character are refused on the form', async () => {
  const w = await webEnv();
  await withServed(w, async (s) => {
    for (const name of ['Ann \u202eeeL', 'Ann\u200bLee', 'Ann\u2066Lee', 'Ann\ufeffLee']) {
      const r = await s.post('/subscribe', new URLSearchParams({ email: 'ann@example.org', name, kinds: 'action' }).toString());
      assert.equal(r.status, 400, JSON.stringify(name));
      assert.match(await r.text(), /Name: the name contains a bidi override or a zero-width character/);
    }
    assert.equal(await w.store.subscribers.findByEmail('ann@example.org'), undefined);
    const ok = await s.post('/subscribe', new URLSearchParams({ email: 'ann@example.org', name: 'آن لی', kinds: 'action' }).toString());
    assert.equal(ok.status, 200, 'right-to-left text itself is fine');
  });
});

test("the confirmation is addressed to the bare address; a pending subscriber's choices change only through a confirmation link, each link with its own", async () => {
  const w = await webEnv();
  const form = (name: string, kinds: string) => new URLSearchParams({ email: 'ann@example.org', name, timezone: 'Europe/Berlin', kinds }).toString();
  await withServed(w, async (s) => {
    assert.equal((await s.post('/subscribe', form('Ann Lee', 'action'))).status, 200);
    w.clock.advance(30_000);
    // Someone else asks for the same address with other choices and a name meant for the To: line.
    assert.equal((await s.post('/subscribe', form('Your bank <security@bank.example>', 'webinar'))).status, 200);
    const stored = (await w.store.subscribers.findByEmail('ann@example.org'))!;
    assert.deepEqual([stored.status, stored.name, stored.kinds], ['pending', 'Ann Lee', ['action']], 'the second request changed nothing');

    const [first, second] = await w.mails();
    for (const m of [first, second]) {
      assert.deepEqual(m.to && !Array.isArray(m.to) ? m.to.value : undefined, [{ address: 'ann@example.org', name: '' }]);
      assert.equal(m.headerLines.find((h) => h.key === 'to')?.line, 'To: ann@example.org');
    }
    // Following the second link confirms the second request's choices; the first link's are then spent.
    const confirmed = await s.post(pathOf(linkIn(second, 'http://127.0.0.1:3000/confirm/')), '');
    assert.equal(confirmed.status, 200);
    const after = (await w.store.subscribers.findByEmail('ann@example.org'))!;
    assert.deepEqual([after.status, after.name, after.kinds], ['active', 'Your bank <security@bank.example>', ['webinar']]);
    assert.equal((await s.post(pathOf(linkIn(first, 'http://127.0.0.1:3000/confirm/')), '')).status, 200);
    assert.deepEqual((await w.store.subscribers.findByEmail('ann@example.org'))!.kinds, ['webinar'], 'an active subscriber is not changed by an old link');
  });
});

test('the first link confirms the first choices, whatever came after', async () => {
  const w = await webEnv();
  await withServed(w, async (s) => {
    await s.post('/subscribe', new URLSearchParams({ email: 'bo@example.org', name: 'Bo', kinds: 'action' }).toString());
    w.clock.advance(5_000);
    await s.post('/subscribe', new URLSearchParams({ email: 'bo@example.org', name: 'Not Bo', kinds: 'conference' }).toString());
    const [first] = await w.mails();
    assert.equal((await s.post(pathOf(linkIn(first, 'http://127.0.0.1:3000/confirm/')), '')).status, 200);
    const bo = (await w.store.subscribers.findByEmail('bo@example.org'))!;
    assert.deepEqual([bo.status, bo.name, bo.kinds], ['active', 'Bo', ['action']]);
  });
});

test('CSV exports: cells a spreadsheet would run as a formula start with a quote', () => {
  assert.deepEqual(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tx', 'Ann', 'a=b', ''].map(spreadsheetSafe), ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", 'Ann', 'a=b', '']);
  assert.equal(csvRecord(['ann@example.org', '=1+1', 'Lee, Ann', 'say "hi"']), `ann@example.org,'=1+1,"Lee, Ann","say ""hi"""`);
});
