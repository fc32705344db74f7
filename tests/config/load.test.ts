// Configuration: defaults with no file, the file, the environment over both, and errors that name the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { DigestError } from '../../src/errors.ts';

const dir = (yaml?: string) => {
  const d = mkdtempSync(join(tmpdir(), 'ed-config-'));
  if (yaml !== undefined) writeFileSync(join(d, 'event-digest.config.yaml'), yaml);
  return d;
};

const failure = (fn: () => unknown): DigestError => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DigestError);
    return e;
  }
  assert.fail('expected an error');
};

test('a fresh checkout needs no configuration: the contract defaults', () => {
  const { config, file } = loadConfig({ cwd: dir(), env: {} });
  assert.equal(file, undefined);
  assert.deepEqual(
    { events: config.events, timezone: config.timezone, weeks: config.weeks, db: config.db, outbox: config.outbox, smtp: config.smtp, from: config.from, baseUrl: config.baseUrl, schedule: config.schedule },
    { events: ['data/events.yaml'], timezone: 'America/New_York', weeks: 3, db: 'var/event-digest.db', outbox: 'var/outbox', smtp: undefined, from: 'Event Digest <digest@localhost>', baseUrl: 'http://127.0.0.1:3000', schedule: '0 8 * * 1' },
  );
});

test('the file sets keys; the environment overrides the file', () => {
  const cwd = dir('timezone: Europe/Berlin\nweeks: 2\nevents: a.yaml, b.ics\n');
  assert.deepEqual(loadConfig({ cwd, env: {} }).config.events, ['a.yaml', 'b.ics']);
  const { config } = loadConfig({ cwd, env: { DIGEST_TZ: 'Australia/Sydney', DIGEST_EVENTS: 'x.yaml,https://example.org/feed.ics', SMTP_URL: 'smtp://u:p@127.0.0.1:2525' } });
  assert.equal(config.timezone, 'Australia/Sydney');
  assert.equal(config.weeks, 2);
  assert.deepEqual(config.events, ['x.yaml', 'https://example.org/feed.ics']);
  assert.equal(config.smtp, 'smtp://u:p@127.0.0.1:2525');
});

test('an unknown key is an error naming the key and where it is', () => {
  const e = failure(() => loadConfig({ cwd: dir('timezone: UTC\ntimezones: UTC\n'), env: {} }));
  assert.equal(e.code, 'CONFIG');
  assert.equal(e.message, "event-digest.config.yaml:2:1: unknown configuration key 'timezones'");
  const nested = failure(() => loadConfig({ cwd: dir('saveTheDate:\n  kinds: [conference]\n  weeks: 3\n'), env: {} }));
  assert.equal(nested.message, "event-digest.config.yaml:1:1: unknown configuration key 'saveTheDate.weeks'");
});

test('bad values say which key and why; the environment is named when it is the culprit', () => {
  assert.equal(failure(() => loadConfig({ cwd: dir('timezone: Mars/Olympus\n'), env: {} })).message, 'event-digest.config.yaml:1:1: timezone: is not a known IANA time zone');
  assert.equal(failure(() => loadConfig({ cwd: dir(), env: { DIGEST_WEEKS: 'three' } })).message, 'environment DIGEST_WEEKS: weeks: Invalid input: expected number, received string');
  assert.equal(failure(() => loadConfig({ cwd: dir('weeks: [\n'), env: {} })).code, 'CONFIG');
  assert.equal(failure(() => loadConfig({ cwd: dir(), configPath: 'missing.yaml', env: {} })).message, 'missing.yaml: configuration file not found');
});

test('brand: a colour with too little contrast against white, a logo without alt text or over http are errors; maxPerSection and replyTo from the environment', () => {
  assert.equal(
    failure(() => loadConfig({ cwd: dir('brand:\n  color: "#f5c518"\n'), env: {} })).message,
    "event-digest.config.yaml:1:1: brand.color: '#f5c518' has a contrast of 1.63:1 against white, under 4.5:1: white button text on it would be hard to read",
  );
  assert.match(failure(() => loadConfig({ cwd: dir('brand:\n  logo: https://example.org/logo.png\n'), env: {} })).message, /brand\.logoAlt: a logo needs alt text/);
  assert.match(failure(() => loadConfig({ cwd: dir('brand:\n  logo: http://example.org/logo.png\n  logoAlt: Us\n'), env: {} })).message, /brand\.logo: must be an https URL/);
  assert.match(failure(() => loadConfig({ cwd: dir('brand:\n  color: blue\n'), env: {} })).message, /brand\.color: must be a hex colour/);
  const { config } = loadConfig({ cwd: dir('brand:\n  color: "#8a1538"\n  logo: https://example.org/logo.png\n  logoAlt: Riders Alliance\n'), env: { DIGEST_MAX_PER_SECTION: '4', DIGEST_REPLY_TO: 'Team <team@example.org>' } });
  assert.deepEqual(config.brand, { color: '#8a1538', logo: 'https://example.org/logo.png', logoAlt: 'Riders Alliance' });
  assert.equal(config.maxPerSection, 4);
  assert.equal(config.replyTo, 'Team <team@example.org>');
  assert.equal(loadConfig({ cwd: dir(), env: {} }).config.maxPerSection, 10);
});
