// `event-digest serve` as a user runs it: the bin in its own process, a free port, pages over HTTP, SIGTERM to stop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

test('serve listens where told, shows the seed week to the organizer, and stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-serve-'));
  cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
  const child = spawn(process.execPath, [join(ROOT, 'bin/event-digest.js'), 'serve', '--port', '0'], { cwd: dir, env: { ...process.env, DIGEST_NOW: '2016-11-25T15:00:00Z' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    // Bounded wait for the "serving" line: up to three minutes, since a busy machine starts processes slowly.
    for (let i = 0; i < 3600 && !/serving http/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, `no serving line; stdout: ${out} stderr: ${err}`);
    assert.match(out, /loopback only/);
    const admin = await fetch(`${url}/admin`);
    assert.equal(admin.status, 200);
    assert.match(await admin.text(), /This week: 1 action, 1 webinar, 1 conference \(Nov 28 – Dec 18\)/);
    const sub = await fetch(`${url}/subscribe`, { method: 'POST', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=oz%40example.org&kinds=action' });
    assert.equal(sub.status, 200);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
  assert.match(err, /SIGTERM: closing/);
});

test('serve refuses a bad port with a one-line usage error', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'bin/event-digest.js'), 'serve', '--port', 'http'], { cwd: ROOT });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  assert.equal(code, 2);
  assert.match(err.trim(), /^event-digest: --port: /);
});
