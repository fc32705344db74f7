// `subscribers add --first-name`, run as the installed bin in its own process: stored apart from the name, greets the
// reader in the preview, cleared by "", refused with the import column's words (exit 2, nothing stored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cliProcess } from '../helpers/cli-process.ts';
import { tempDir } from './helpers.ts';

const ENV = { DIGEST_NOW: '2016-11-28T12:00:00Z', DIGEST_EVENTS: resolve(import.meta.dirname, '../../data/events.yaml') };

test('subscribers add --first-name: kept apart from the name, greets the reader, "" clears it; a bad one is refused like the import column', () => {
  const cwd = tempDir();
  const cli = (...args: string[]) => cliProcess(cwd, args, ENV);
  const firstNames = () => (JSON.parse(cli('subscribers', 'list', '--json').out) as { email: string; name: string | null; firstName: string | null }[]).map((s) => [s.email, s.name, s.firstName]);

  const added = cli('subscribers', 'add', 'ann@example.org', '--name', 'Ann Lee', '--first-name', ' Ann ');
  assert.deepEqual([added.code, added.out, added.err], [0, 'added ann@example.org: active, America/New_York, kinds: all', '']);
  assert.deepEqual(firstNames(), [['ann@example.org', 'Ann Lee', 'Ann']]);
  const preview = cli('preview', '--as-of', '2016-11-28', '--subscriber', 'ann@example.org');
  assert.equal(preview.code, 0, preview.err);
  assert.match(readFileSync(join(cwd, 'out/digest.txt'), 'utf8'), /^Hi Ann,$/m);

  // The same checks as an import's first-name column, and the same words after the option's name.
  for (const [bad, why] of [
    ['An\nn', 'the first name contains a line break'],
    ['A\u0007nn', 'the first name contains a control character'],
    ['A\u200Bnn', 'the first name contains a bidi override or a zero-width character'],
    ['x'.repeat(201), 'the first name is longer than 200 characters'],
  ]) {
    const r = cli('subscribers', 'add', 'ann@example.org', '--first-name', bad);
    assert.deepEqual([r.code, r.err], [2, `event-digest: --first-name: ${why}`]);
  }
  assert.deepEqual(firstNames(), [['ann@example.org', 'Ann Lee', 'Ann']], 'nothing was changed');

  // On an update only what is given changes: a first name alone keeps the name; "" clears it (the name greets again).
  assert.equal(cli('subscribers', 'add', 'ann@example.org', '--first-name', 'Annie').code, 0);
  assert.deepEqual(firstNames(), [['ann@example.org', 'Ann Lee', 'Annie']]);
  assert.equal(cli('subscribers', 'add', 'ann@example.org', '--first-name', '').code, 0);
  assert.deepEqual(firstNames(), [['ann@example.org', 'Ann Lee', null]]);
  assert.match(cli('subscribers', 'add', '--help').out, /--first-name <name>/);
});
