// The database (holding the link secret), its -wal and -shm, and the outbox (names, addresses, live links) are
// owner-only whatever the umask: `serve` in its own process under `umask 022`, a subscribe that mails. On the
// PostgreSQL pass only the outbox is ours to check: the database's files are the server's.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { TEST_ENGINE } from '../helpers/engines.ts';
import { startServe } from '../helpers/serve-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

test('under umask 022: database, -wal, -shm and outbox files 0600, their folders 0700', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-modes-'));
  cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
  const serve = await startServe(dir, { DIGEST_NOW: '2016-11-25T15:00:00Z' }, { umask: '022' });
  try {
    const url = serve.url;
    assert.ok(url, `no serving line; stdout: ${serve.out()} stderr: ${serve.err()}`);
    const sub = await fetch(`${url}/subscribe`, { method: 'POST', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=oz%40example.org&kinds=action' });
    assert.equal(sub.status, 200);
    if (TEST_ENGINE.name === 'sqlite') {
      // While the server holds the database open, its WAL files exist.
      const db = join(dir, 'var/event-digest.db');
      assert.deepEqual([mode(join(dir, 'var')), mode(db), mode(`${db}-wal`), mode(`${db}-shm`)], ['700', '600', '600', '600']);
    } else assert.equal(mode(join(dir, 'var')), '700');
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
    serve.child.kill('SIGTERM');
  }
  assert.equal(await serve.exited, 0);
});
