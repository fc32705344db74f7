// `event-digest serve` as a user runs it: the bin in its own process, a free port, pages over HTTP, SIGTERM to stop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { startServe } from '../helpers/serve-process.ts';
import { freePort } from '../helpers/web-env.ts';
import { engineEnv } from '../helpers/engines.ts';

const ROOT = resolve(import.meta.dirname, '../..');

test('serve listens where told, shows the seed week to the organizer, and stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-serve-'));
  cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
  const serve = await startServe(dir, { DIGEST_NOW: '2016-11-25T15:00:00Z' });
  try {
    const url = serve.url;
    assert.ok(url, `no serving line; stdout: ${serve.out()} stderr: ${serve.err()}`);
    assert.match(serve.out(), /loopback only/);
    const admin = await fetch(`${url}/admin`);
    assert.equal(admin.status, 200);
    assert.match(await admin.text(), /Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more \(Nov 28 – Dec 18\)/);
    const sub = await fetch(`${url}/subscribe`, { method: 'POST', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=oz%40example.org&kinds=action' });
    assert.equal(sub.status, 200);
  } finally {
    serve.child.kill('SIGTERM');
  }
  assert.equal(await serve.exited, 0);
  assert.match(serve.err(), /SIGTERM: closing/);
});

test('serve without --port listens on the port baseUrl names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-serve-'));
  cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, 'bin/event-digest.js'), 'serve'], { cwd: dir, env: { ...process.env, ...engineEnv(dir), DIGEST_NOW: '2016-11-25T15:00:00Z', DIGEST_BASE_URL: base } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    // Bounded by a minute: a busy machine may take a while to start the CLI.
    for (let i = 0; i < 1200 && !/serving http/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(out, new RegExp(`serving ${base} `));
    assert.equal((await fetch(`${base}/`)).status, 200);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});

test('serve refuses a bad port with a one-line usage error', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'bin/event-digest.js'), 'serve', '--port', 'http'], { cwd: ROOT });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  assert.equal(code, 2);
  assert.match(err.trim(), /^event-digest: --port: /);
});

