// The link secret: generated once and kept in the database, so links signed in one run verify in the next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signToken, verifyToken } from '../../src/subscribers/tokens.ts';
import { storeIn, tempDir } from '../subscribers/helpers.ts';

test('with no configured secret, one is generated on first use and survives reopening', () => {
  const dir = tempDir();
  const first = storeIn(dir);
  const secret = first.linkSecret();
  assert.equal(Buffer.from(secret, 'base64url').length, 32);
  assert.equal(first.linkSecret(), secret);
  const token = signToken(secret, 'unsubscribe', 7);
  first.close();

  const second = storeIn(dir);
  try {
    assert.equal(second.linkSecret(), secret);
    assert.equal(verifyToken(second.linkSecret(), 'unsubscribe', token), 7);
  } finally {
    second.close();
  }
  const elsewhere = storeIn(tempDir());
  try {
    assert.notEqual(elsewhere.linkSecret(), secret, 'each database gets its own random secret');
  } finally {
    elsewhere.close();
  }
});

test('a configured secret wins and is not written to the database', () => {
  const dir = tempDir();
  const store = storeIn(dir, { secret: 'configured-secret-0123456789' });
  try {
    assert.equal(store.linkSecret(), 'configured-secret-0123456789');
    assert.equal(store.db.prepare('SELECT count(*) FROM meta').pluck().get(), 0);
  } finally {
    store.close();
  }
});
