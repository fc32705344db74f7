// The pre-flight for a real send: each warning names its key and variable; a ready configuration has none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../src/config/schema.ts';
import { preflightWarnings } from '../../src/config/preflight.ts';
import { run } from '../../src/cli/program.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { engineEnv } from '../helpers/engines.ts';

const READY = { from: 'Our Group <events@our-group.org>', baseUrl: 'https://events.our-group.org', postalAddress: '1 Main St, Springfield', smtp: 'smtps://u:p@mail.our-group.org:465' };
const keys = (c: Record<string, unknown>) => preflightWarnings(configSchema.parse(c)).map((w) => `${w.key} ${w.env}`);

test('each unready setting is one warning naming the key and its environment variable', () => {
  assert.deepEqual(keys(READY), []);
  assert.deepEqual(keys({}), ['from DIGEST_FROM', 'baseUrl DIGEST_BASE_URL', 'postalAddress DIGEST_POSTAL_ADDRESS', 'smtp SMTP_URL']);
  for (const from of ['Digest <digest@localhost>', 'x@example.com', 'x@news.example.org', 'x@lists.test', 'no address']) assert.deepEqual(keys({ ...READY, from }), ['from DIGEST_FROM'], from);
  for (const baseUrl of ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000', 'https://127.0.0.2', 'http://events.our-group.org']) {
    assert.deepEqual(keys({ ...READY, baseUrl }), ['baseUrl DIGEST_BASE_URL'], baseUrl);
  }
  const http = preflightWarnings(configSchema.parse({ ...READY, baseUrl: 'http://events.our-group.org' }))[0];
  assert.match(http.message, /plain http/);
});

test('check says when the configuration is ready for a real send', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ed-preflight-'));
  writeFileSync(join(cwd, 'event-digest.config.yaml'), `events: ${resolve(import.meta.dirname, '../../data/events.yaml')}\nfrom: "${READY.from}"\nbaseUrl: ${READY.baseUrl}\npostalAddress: ${READY.postalAddress}\n`);
  const out: string[] = [];
  const code = await run(['check'], { cwd, env: { DIGEST_NOW: '2016-11-28T12:00:00Z', SMTP_URL: READY.smtp, ...engineEnv(cwd) }, out: (s) => out.push(s), err: () => {}, isTty: false });
  assert.equal(code, 0);
  assert.equal(out.at(-1), '0 errors, 7 warnings; 4 valid events from 1 source; the configuration is ready for a real send');
  assert.ok(!out.some((l) => l.includes('warning: from') || l.includes('warning: smtp')));
});
