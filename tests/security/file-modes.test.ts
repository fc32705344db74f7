// The database (holding the link secret), its -wal and -shm, and the outbox (names, addresses, live links) are
// owner-only whatever the umask: `serve` in its own process under `umask 022`, a subscribe that mails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

test('under umask 022: database, -wal, -shm and outbox files 0600, their folders 0700', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-modes-'));
  cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
  const bin = join(ROOT, 'bin/event-digest.js');
  const child = spawn('/bin/sh', ['-c', `umask 022 && exec "${process.execPath}" "${bin}" serve --port 0`], { cwd: dir, env: { ...process.env, DIGEST_NOW: '2016-11-25T15:00:00Z' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    for (let i = 0; i < 200 && !/serving http/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, `no serving line; stdout: ${out} stderr: ${err}`);
    const sub = await fetch(`${url}/subscribe`, { method: 'POST', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=oz%40example.org&kinds=action' });
    assert.equal(sub.status, 200);
    // While the server holds the database open, its WAL files exist.
    const db = join(dir, 'var/event-digest.db');
    assert.deepEqual([mode(join(dir, 'var')), mode(db), mode(`${db}-wal`), mode(`${db}-shm`)], ['700', '600', '600', '600']);
    const outbox = join(dir, 'var/outbox');
    const folders = readdirSync(outbox);
    assert.ok(folders.length > 0);
    for (const f of folders) {
      assert.equal(mode(join(outbox, f)), '700', f);
      const files = readdirSync(join(outbox, f));
      assert.ok(files.some((x) => x.endsWith('.eml')));
      for (const x of files) assert.equal(mode(join(outbox, f, x)), '600', x);
    }
    assert.equal(mode(outbox), '700');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});
