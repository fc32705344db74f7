// Signed link tokens: they round-trip, and any change (a character, the purpose, the secret) makes them worthless.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOKEN_PURPOSES, signToken, verifyToken } from '../../src/subscribers/tokens.ts';

const SECRET = 'test-secret-for-links-0123456789';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

test('a token round-trips for every purpose, is URL-safe and carries no address', () => {
  for (const purpose of TOKEN_PURPOSES) {
    for (const id of [1, 42, Number.MAX_SAFE_INTEGER]) {
      const token = signToken(SECRET, purpose, id);
      assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      assert.equal(verifyToken(SECRET, purpose, token), id, `${purpose} ${id}`);
      assert.equal(Buffer.from(token.split('.')[0], 'base64url').toString(), `${purpose}:${id}`);
    }
  }
  assert.equal(signToken(Buffer.from(SECRET), 'confirm', 5), signToken(SECRET, 'confirm', 5));
  assert.throws(() => signToken(SECRET, 'confirm', 0), RangeError);
});

test('changing any single character of a token makes it invalid', () => {
  const token = signToken(SECRET, 'unsubscribe', 1234);
  for (let i = 0; i < token.length; i++) {
    // Every other character at this place, since some base64url characters differ only in unused bits.
    for (const c of B64URL + '.=+/ ') {
      if (c === token[i]) continue;
      const changed = token.slice(0, i) + c + token.slice(i + 1);
      assert.equal(verifyToken(SECRET, 'unsubscribe', changed), undefined, `position ${i} → ${c}`);
    }
  }
});

test('a token is only good for its purpose and its secret', () => {
  const token = signToken(SECRET, 'preferences', 7);
  assert.equal(verifyToken(SECRET, 'unsubscribe', token), undefined);
  assert.equal(verifyToken(SECRET, 'confirm', token), undefined);
  assert.equal(verifyToken('another-secret-0123456789abcdef', 'preferences', token), undefined);
  // Re-labelling the body for another purpose or id, keeping the signature, fails too.
  const mac = token.split('.')[1];
  assert.equal(verifyToken(SECRET, 'unsubscribe', `${Buffer.from('unsubscribe:7').toString('base64url')}.${mac}`), undefined);
  assert.equal(verifyToken(SECRET, 'preferences', `${Buffer.from('preferences:8').toString('base64url')}.${mac}`), undefined);
});

test('garbage is rejected, never thrown on', () => {
  const good = signToken(SECRET, 'confirm', 3);
  const garbage = ['', '.', '..', 'abc', 'a.b', `${good}.x`, `${good}=`, good + good, 'x'.repeat(5000), good.split('.')[0], `.${good.split('.')[1]}`,
    `${Buffer.from('confirm:03').toString('base64url')}.${good.split('.')[1]}`, `${Buffer.from('confirm:-3').toString('base64url')}.AAAA`];
  for (const g of garbage) assert.equal(verifyToken(SECRET, 'confirm', g), undefined, g.slice(0, 40));
  assert.equal(verifyToken(SECRET, 'confirm', undefined as unknown as string), undefined);
});
