// The organizer pages over a real loopback HTTP server: "this machine" without a token (never through a
// proxy), login sessions kept in the store with their time and client, ended by expiry, logout or a new
// token; no caching; and serve refusing to listen beyond loopback without a token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { createApp } from '../../src/web/app.ts';
import { ADMIN_COOKIE } from '../../src/web/middleware/admin-auth/index.ts';
import { listen, type Listening } from '../../src/web/serve.ts';
import { rawSqlAt } from '../helpers/engines.ts';
import { ROOT, webEnv, type WebEnv } from '../helpers/web-env.ts';

const TOKEN = 'organizer-token-0123456789';

/** Runs the test against the app on a loopback port, then closes the server and the store. */
async function withServer(w: WebEnv, fn: (server: Listening) => Promise<void>): Promise<void> {
  const server = await listen(w.app, '127.0.0.1', 0);
  try {
    await fn(server);
  } finally {
    await server.close();
    await w.close();
  }
}

function statusWithHost(base: string, host: string): Promise<number | undefined> {
  return new Promise((done, fail) => {
    const req = request(`${base}/admin`, { headers: { host } }, (res) => {
      res.resume();
      done(res.statusCode);
    });
    req.on('error', fail);
    req.end();
  });
}

test('without a token: a browser on this machine gets in; any proxy header, or a foreign Host, is refused', async () => {
  const w = await webEnv();
  await withServer(w, async (server) => {
    const ok = await fetch(`${server.url}/admin/subscribers`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('cache-control'), 'no-store');
    for (const [name, value] of [
      ['x-forwarded-for', '203.0.113.9'],
      ['x-forwarded-host', 'digest.example.org'],
      ['x-forwarded-proto', 'https'],
      ['forwarded', 'for=203.0.113.9;proto=https'],
      ['x-real-ip', '203.0.113.9'],
    ]) {
      const r = await fetch(`${server.url}/admin/subscribers`, { headers: { [name]: value } });
      assert.equal(r.status, 403, name);
      assert.doesNotMatch(await r.text(), /By status/, name);
    }
    // fetch() will not send a Host of our choosing; node:http will (a page reached through DNS rebinding sends its own).
    assert.equal(await statusWithHost(server.url, 'attacker.example'), 403);
    assert.equal(await statusWithHost(server.url, new URL(server.url).host), 200);
  });
});

test('with a token: each login is a new random session stored with time and client; server-side 12 h expiry, logout and a new token end it', async () => {
  const w = await webEnv({ config: { adminToken: TOKEN } });
  const server = await listen(w.app, '127.0.0.1', 0);
  const url = server.url;
  const login = async () => {
    const r = await fetch(`${url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'test-browser/1.0' }, body: `token=${TOKEN}` });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    return r.headers.get('set-cookie')!.split(';')[0];
  };
  const page = (cookie: string) => fetch(`${url}/admin/subscribers`, { headers: { cookie } }).then((r) => r.status);
  const rows = async () => (await rawSqlAt(w.config.db, 'SELECT id_hash, token_hash, client, issued_at FROM admin_sessions ORDER BY issued_at')) as { id_hash: string; client: string; issued_at: string }[];
  try {
    const first = await login();
    const second = await login();
    assert.notEqual(first, second, 'the cookie is not a constant');
    assert.equal(await page(first), 200);
    assert.equal(await page(second), 200);
    const stored = await rows();
    assert.equal(stored.length, 2);
    assert.equal(stored[0].issued_at, '2016-11-25T15:00:00.000Z');
    assert.match(stored[0].client, /^127\.0\.0\.1 test-browser\/1\.0$/);
    const cookieId = decodeURIComponent(first.slice(ADMIN_COOKIE.length + 1));
    assert.ok(stored.every((r) => r.id_hash !== cookieId), 'only a hash of the id is stored');

    // Logout deletes the session: the same cookie, replayed, no longer opens anything.
    const out = await fetch(`${url}/admin/logout`, { method: 'POST', redirect: 'manual', headers: { origin: url, cookie: first } });
    assert.equal(out.status, 303);
    assert.equal(await page(first), 401);
    assert.equal(await page(second), 200);
    assert.equal((await rows()).length, 1);

    // Expiry is the server's: 12 hours after the login the cookie is refused (and its row goes).
    w.clock.advance(12 * 3600_000 - 60_000);
    assert.equal(await page(second), 200);
    w.clock.advance(2 * 60_000);
    assert.equal(await page(second), 401);
    assert.equal((await rows()).length, 0);

    // A new token ends every session opened with the old one.
    const third = await login();
    assert.equal(await page(third), 200);
    const renewed = createApp({ ...w.deps, config: { ...w.config, adminToken: 'a-brand-new-token-9876543210' } });
    const other = await listen(renewed, '127.0.0.1', 0);
    try {
      assert.equal((await fetch(`${other.url}/admin/subscribers`, { headers: { cookie: third } })).status, 401);
    } finally {
      await other.close();
    }
  } finally {
    await server.close();
    await w.close();
  }
});

test('login attempts are rate-limited per client: the 11th in 10 minutes is a 429, the right token included', async () => {
  const w = await webEnv({ config: { adminToken: TOKEN } });
  await withServer(w, async (server) => {
  const attempt = (token: string) =>
    fetch(`${server.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` }).then((r) => r.status);
    for (let i = 0; i < 10; i++) assert.equal(await attempt(`wrong-guess-${i}-xxxxxxxx`), 401);
    assert.equal(await attempt(TOKEN), 429);
    w.clock.advance(10 * 60_000);
    assert.equal(await attempt(TOKEN), 303);
  });
});

test('serve and schedule refuse a non-loopback --host without an admin token, in one line', () => {
  for (const args of [['serve', '--host', '0.0.0.0', '--port', '0'], ['schedule', '--host', '192.0.2.1']]) {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/event-digest.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DIGEST_ADMIN_TOKEN: '', DIGEST_DB: ':memory:' }, timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `event-digest: --host ${args[2]}: listening beyond loopback needs an admin token for the organizer pages; set adminToken (DIGEST_ADMIN_TOKEN)\n`);
  }
});
