// Bad configuration and hostile YAML are one-line errors that say where, never "unexpected error".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';

/** A "billion laughs": 9 levels of 9 aliases each, 387 million strings if expanded. */
function aliasBomb(prefix: string): string {
  let s = `${prefix}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i <= 9; i++) s += `${prefix}a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return s;
}

test('a YAML alias bomb in an events file is one error naming the file; in the configuration, one CONFIG error naming it', async () => {
  const e = sendEnv();
  writeFileSync(join(e.dir, 'bomb.yaml'), `events: []\n${aliasBomb('x')}`);
  const r = await e.cli(['check'], { DIGEST_EVENTS: join(e.dir, 'bomb.yaml') });
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /bomb\.yaml:1:1: error: YAML aliases expand too far \(an alias bomb\); refused/);
  assert.doesNotMatch(r.err, /unexpected/);

  writeFileSync(join(e.dir, 'bomb-config.yaml'), `listName: x\n${aliasBomb('x-')}`);
  const c = await e.cli(['--config', 'bomb-config.yaml', 'check']);
  assert.equal(c.code, 2);
  assert.equal(c.err, 'event-digest: bomb-config.yaml: YAML aliases expand too far (an alias bomb); refused');
});

test('configuration errors that used to exit 1 as "unexpected error" are CONFIG errors (exit 2, one line)', async () => {
  const e = sendEnv({ smtpUrl: 'smtp://127.0.0.1:9', extraConfig: 'dkim:\n  domain: example.org\n  selector: s1\n  privateKey: missing-key.pem\n' });
  await addSubscribers(await e.store(), [{ email: 'ann@example.org' }]);
  const dkim = await e.cli(['send', '--as-of', '2016-11-28']);
  assert.equal(dkim.code, 2, dkim.err);
  assert.match(dkim.err, /^event-digest: dkim\.privateKey: cannot read '.*missing-key\.pem' \(ENOENT\)$/);

  const base = await e.cli(['preview', '--as-of', '2016-11-28', '--out', 'o'], { DIGEST_BASE_URL: 'javascript:alert(1)' });
  assert.equal(base.code, 2, base.err);
  assert.equal(base.err, 'event-digest: environment DIGEST_BASE_URL: baseUrl: must be an http:// or https:// URL');

  const folder = await e.cli(['--config', '.', 'check']);
  assert.equal(folder.code, 2, folder.err);
  assert.equal(folder.err, 'event-digest: .: cannot read the configuration file (EISDIR)');
});
