// The link secret: generated once and kept in the database, so links signed in one run verify in the next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signToken, verifyToken } from '../../src/subscribers/tokens.ts';
import { sqliteFile } from '../helpers/sqlite-file.ts';
import { dbPathIn, storeIn, tempDir } from '../subscribers/helpers.ts';

test('with no configured secret, one is generated on first use and survives reopening', async () => {
  const dir = tempDir();
  const first = await storeIn(dir);
  const secret = await first.meta.linkSecret();
  assert.equal(Buffer.from(secret, 'base64url').length, 32);
  assert.equal(await first.meta.linkSecret(), secret);
  const token = signToken(secret, 'unsubscribe', 7);
  await first.close();

  const second = await storeIn(dir);
  try {
    assert.equal(await second.meta.linkSecret(), secret);
    assert.equal(verifyToken(await second.meta.linkSecret(), 'unsubscribe', token), 7);
  } finally {
    await second.close();
  }
  const elsewhere = await storeIn(tempDir());
  try {
    assert.notEqual(await elsewhere.meta.linkSecret(), secret, 'each database gets its own random secret');
  } finally {
    await elsewhere.close();
  }
});

test('a configured secret wins and is not written to the database', async () => {
  const dir = tempDir();
  const store = await storeIn(dir, { secret: 'configured-secret-0123456789' });
  try {
    assert.equal(await store.meta.linkSecret(), 'configured-secret-0123456789');
    const raw = sqliteFile(dbPathIn(dir));
    assert.equal(raw.prepare('SELECT count(*) FROM meta').pluck().get(), 0);
    raw.close();
  } finally {
    await store.close();
  }
});
