// The link secret: generated once and kept in the database, so links signed in one run verify in the next.
import assert from 'node:assert/strict';
import { engineTest, rawSql } from '../helpers/engines.ts';
import { signToken, verifyToken } from '../../src/subscribers/tokens.ts';
import { storeIn, tempDir } from '../subscribers/helpers.ts';

engineTest('with no configured secret, one is generated on first use and survives reopening', async (t, engine) => {
  const dir = tempDir();
  const first = await storeIn(dir, { engine });
  const secret = await first.meta.linkSecret();
  assert.equal(Buffer.from(secret, 'base64url').length, 32);
  assert.equal(await first.meta.linkSecret(), secret);
  const token = signToken(secret, 'unsubscribe', 7);
  await first.close();

  const second = await storeIn(dir, { engine });
  try {
    assert.equal(await second.meta.linkSecret(), secret);
    assert.equal(verifyToken(await second.meta.linkSecret(), 'unsubscribe', token), 7);
  } finally {
    await second.close();
  }
  const elsewhere = await storeIn(tempDir(), { engine });
  try {
    assert.notEqual(await elsewhere.meta.linkSecret(), secret, 'each database gets its own random secret');
  } finally {
    await elsewhere.close();
  }
});

engineTest('a configured secret wins and is not written to the database', async (t, engine) => {
  const dir = tempDir();
  const store = await storeIn(dir, { secret: 'configured-secret-0123456789', engine });
  try {
    assert.equal(await store.meta.linkSecret(), 'configured-secret-0123456789');
    assert.deepEqual(await rawSql(engine, dir, 'SELECT count(*) AS n FROM meta'), [{ n: engine.name === 'sqlite' ? 0 : '0' }]);
  } finally {
    await store.close();
  }
});
