// Where serve and schedule listen by default: what baseUrl names, loopback unless it names another loopback address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listenAddressFor } from '../../src/web/listen-address.ts';

test('the port comes from baseUrl, the host only when baseUrl names a loopback address', () => {
  assert.deepEqual(listenAddressFor('http://127.0.0.1:3000'), { host: '127.0.0.1', port: 3000 });
  assert.deepEqual(listenAddressFor('http://127.0.0.2:8080/'), { host: '127.0.0.2', port: 8080 });
  assert.deepEqual(listenAddressFor('http://[::1]:8081'), { host: '::1', port: 8081 });
  assert.deepEqual(listenAddressFor('http://localhost:8082'), { host: '127.0.0.1', port: 8082 }, 'one address, not whichever localhost resolves to first');
  assert.deepEqual(listenAddressFor('https://events.example.org'), { host: '127.0.0.1', port: 3000 }, 'behind a proxy on 443');
  assert.deepEqual(listenAddressFor('https://events.example.org/digest/'), { host: '127.0.0.1', port: 3000 });
  assert.deepEqual(listenAddressFor('http://events.example.org:8080'), { host: '127.0.0.1', port: 8080 }, 'a public name is never bound; --host exposes the app');
});
