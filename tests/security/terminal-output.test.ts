// Text from a calendar or a subscriber cannot act on the terminal: ESC sequences, newlines that forge a
// finding or a summary, CR, C1 and bidi overrides are printed escaped; `check` warns about them; JSON output
// still parses to the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeControls } from '../../src/control-chars.ts';
import { sendEnv } from '../helpers/send-env.ts';

// YAML double-quoted escapes: \e is ESC, \x9b a C1 CSI, \u202e a right-to-left override.
const HOSTILE = `events:
  - id: evil
    title: "Town hall\\e[2J\\e]0;pwned\\a\\nevents.yaml:1:1: error: forged\\r0 errors, 0 warnings"
    kind: action
    start: 2016-11-29T18:00
    end: 2016-11-29T19:00
    location:
      venue: "Hall \\u202egnp.exe\\x9b31m"
      city: Springfield
`;

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

async function setUp() {
  const e = sendEnv();
  writeFileSync(join(e.dir, 'hostile.yaml'), HOSTILE);
  return { e, env: { DIGEST_EVENTS: join(e.dir, 'hostile.yaml') } };
}

test('check: every finding stays one line, escaped, and the controls in the title and the place are warned about', async () => {
  const { e, env } = await setUp();
  const r = await e.cli(['check'], env);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, RAW_CONTROL);
  const lines = r.out.split('\n');
  assert.ok(lines.slice(0, -1).every((l) => /^.*hostile\.yaml:\d+:\d+: warning: /.test(l)), r.out);
  assert.equal(lines.at(-1), '0 errors, 2 warnings; 1 valid event from 1 source');
  assert.match(r.out, /hostile\.yaml:3:5: warning: the title contains control characters \(U\+001B, U\+0007, U\+000A, U\+000D\)/);
  assert.match(r.out, /warning: the location's venue contains control characters \(U\+202E, U\+009B\)/);
});

test('select: the readable list escapes the title and place in place; --json keeps them exactly', async () => {
  const { e, env } = await setUp();
  const r = await e.cli(['select', '--as-of', '2016-11-28'], env);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, RAW_CONTROL);
  const lines = r.out.split('\n');
  assert.equal(lines.length, 2, r.out);
  assert.ok(lines[1].includes('Town hall\\u001b[2J\\u001b]0;pwned\\u0007\\u000aevents.yaml:1:1: error: forged\\u000d0 errors'), lines[1]);
  assert.ok(lines[1].includes('Hall \\u202egnp.exe\\u009b31m'), lines[1]);

  const j = await e.cli(['select', '--as-of', '2016-11-28', '--json'], env);
  assert.doesNotMatch(j.out, RAW_CONTROL);
  const doc = JSON.parse(j.out);
  assert.equal(doc.occurrences[0].title, 'Town hall\u001b[2J\u001b]0;pwned\u0007\nevents.yaml:1:1: error: forged\r0 errors, 0 warnings');
  assert.match(doc.occurrences[0].location, /Hall \u202egnp\.exe\u009b31m/);
});

test('subscribers list: a name stored with controls (an old row) is printed escaped and the columns stay aligned', async () => {
  const e = sendEnv();
  const store = await e.store();
  await store.subscribers.add({ email: 'ann@example.org', name: 'Ann\u001b[31m\u202eLee' }, { source: 'test' });
  await store.close();
  const r = await e.cli(['subscribers', 'list']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, RAW_CONTROL);
  const [head, row] = r.out.split('\n');
  assert.ok(row.includes('Ann\\u001b[31m\\u202eLee'));
  assert.equal(row.indexOf('America/New_York'), head.indexOf('TIMEZONE'));
});

test('escapeControls: tab stays; newline stays only for output several lines by design; CRLF is a line end there', () => {
  assert.equal(escapeControls('a\tb\nc\u007f\u0085\u2066'), 'a\tb\\u000ac\\u007f\\u0085\\u2066');
  assert.equal(escapeControls('a\nb\r\nc\rd', { keepNewlines: true }), 'a\nb\r\nc\\u000dd');
  // Arabic, Hebrew, emoji, accents: shown as they are.
  assert.equal(escapeControls('مرحبا שלום 👩‍👩‍👧 café'), 'مرحبا שלום 👩‍👩‍👧 café');
});
