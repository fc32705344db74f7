// A real send (file outbox) to readers in Columbus, Cleveland and nowhere in particular: each .eml, parsed with
// mailparser, lists what that reader's place and radius let through, with distances; readers of one place share a variant.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { outboxMails, placeCli } from './send-helpers.ts';

const EVENTS = resolve(import.meta.dirname, '../fixtures/places/ohio.yaml');

test('send: every reader gets the digest of their place', async () => {
  const { cwd, cli } = placeCli('ed-near-send-', { DIGEST_EVENTS: EVENTS, DIGEST_NOW: '2030-05-06T13:00:00Z', DIGEST_KINDS: 'action' });
  await cli(['subscribers', 'add', 'ann@example.org', '--location', 'Columbus, OH', '--radius', '40']);
  await cli(['subscribers', 'add', 'ben@example.org', '--location', '43215', '--radius', '40']);
  await cli(['subscribers', 'add', 'cleo@example.org', '--location', 'Cleveland, OH', '--radius', '10']);
  await cli(['subscribers', 'add', 'dan@example.org']);
  assert.match(await cli(['send', '--as-of', '2030-05-06']), /sent 4, skipped 0, failed 0, deferred 0$/);
  const mails = await outboxMails(cwd);
  const ann = mails.get('ann@example.org')!;
  assert.match(ann.text, /Columbus vigil[\s\S]*Dublin meeting[\s\S]*Newark canvass[\s\S]*Phone bank[\s\S]*March on Washington/);
  assert.match(ann.text, /Courthouse steps, Newark, OH · \d+ mi away/);
  assert.ok(!ann.text.includes('Cleveland rally'));
  assert.match(ann.text, /For you near Columbus, OH: in-person events within 40 mi/);
  assert.match(ann.html, /Newark, OH · <a [^>]*>Map<\/a> · \d+ mi away/);
  assert.match(mails.get('ben@example.org')!.text, /For you near Columbus, OH 43215/);
  const cleo = mails.get('cleo@example.org')!.text;
  assert.match(cleo, /Cleveland rally/);
  assert.ok(!cleo.includes('Newark canvass') && !cleo.includes('Dublin meeting'));
  assert.match(cleo, /3 in-person events farther away are\s+not\s+shown\s+here/);
  const dan = mails.get('dan@example.org')!.text;
  for (const t of ['Cleveland rally', 'Newark canvass', 'Dublin meeting', 'Columbus vigil']) assert.ok(dan.includes(t), t);
  assert.ok(!dan.includes('mi away') && !dan.includes('For you near'));
});
