// Every reader's Envelope has one hidden class: a fresh one per message (what `{ ...list, to, … }` gets from V8)
// is about 1.4 KB of maps that only a mark-compact frees, which was most of a million-reader dry run's memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

// %HaveSameMap needs --allow-natives-syntax, which only a process of its own may be started with.
const script = `
import { listEnvelope, readerEnvelope } from ${JSON.stringify(`${ROOT}src/mail/message.ts`)};
const shapes = [
  { listName: 'Movement Digest', from: 'Movement Digest <digest@example.org>', baseUrl: 'https://digest.example.org', replyTo: undefined },
  { listName: 'Other', from: 'other@example.org', baseUrl: 'https://o.example.org/', replyTo: 'team@example.org' },
];
const out = shapes.map((config) => {
  const list = listEnvelope(config);
  const envelopes = Array.from({ length: 500 }, (_, i) => readerEnvelope(list, {
    to: i % 3 ? { name: 'Reader ' + i, address: 'reader' + i + '@example.org' } : { name: undefined, address: 'r' + i + '@example.org' },
    subject: 'Week ' + (i % 7),
    messageId: 'digest.2016-11-28.s' + i + '@example.org',
    date: new Date(1480000000000 + i),
    unsubscribeUrl: 'https://digest.example.org/unsubscribe/' + i,
  }));
  return envelopes.filter((e) => !%HaveSameMap(e, envelopes[0])).length;
});
process.stdout.write(JSON.stringify(out));
`;

test('readerEnvelope gives every message of a list the same hidden class', () => {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [0, 0], 'envelopes with a hidden class other than the first one');
});
