// SpamAssassin (Debian's package, local tests only: no network) scores the seed week's digest, as preview
// writes it, at most 0.5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../src/cli/program.ts';
import { testDb } from '../helpers/engines.ts';

const SPAMASSASSIN = '/usr/bin/spamassassin';

test('SpamAssassin scores the seed digest at most 0.5', async (t) => {
  if (!existsSync(SPAMASSASSIN)) {
    if (process.env.CI) throw new Error(`CI is set but ${SPAMASSASSIN} is missing: install Debian's spamassassin (.ci/run does)`);
    t.skip('no spamassassin (apt-get install spamassassin)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ed-spam-'));
  const err: string[] = [];
  const code = await run(['preview', '--as-of', '2016-11-28', '--out', dir], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { DIGEST_DB: testDb(dir), DIGEST_NOW: '2016-11-27T15:00:00Z', DIGEST_BASE_URL: 'https://digest.example.org', DIGEST_FROM: 'Movement Digest <digest@example.org>', DIGEST_POSTAL_ADDRESS: '1 Main St, Washington, DC 20001' },
    out: () => {},
    err: (s) => err.push(s),
    isTty: false,
  });
  assert.equal(code, 0, err.join('\n'));
  // -L: local tests only; -t: the report, with the score in X-Spam-Status.
  const sa = spawnSync(SPAMASSASSIN, ['-L', '-t'], { input: readFileSync(join(dir, 'digest.eml')), encoding: 'utf8', timeout: 120_000 });
  assert.equal(sa.error, undefined);
  const status = /^X-Spam-Status: .*?score=(-?[\d.]+)/m.exec(sa.stdout);
  assert.ok(status, sa.stdout.slice(0, 2000));
  const score = Number(status[1]);
  const report = sa.stdout.slice(sa.stdout.indexOf('Content analysis details'));
  assert.ok(score <= 0.5, `score ${score}:\n${report}`);
});
