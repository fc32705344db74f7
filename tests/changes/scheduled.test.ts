// The daemon and config `corrections`: review mails the organizers once per pending set, auto sends, off does neither.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { scheduleEnv, subscribe } from '../helpers/schedule-env.ts';
import { EDITED, WEEK_ONE } from './calendar.ts';

const MONDAY_0800 = '2016-11-28T13:00:00Z';
const recipients = (received: { to: string[] }[]) => received.flatMap((r) => r.to).sort();

async function weekOneSent(corrections: string) {
  const e = await scheduleEnv({
    now: MONDAY_0800,
    config: { corrections, baseUrl: 'https://digest.example.org', scheduler: { review: { hoursBefore: 1, to: ['organizers@example.org'] } } },
    events: (path) => (writeFileSync(path, WEEK_ONE), [path]),
  });
  await subscribe(e.store, 2);
  const s = await e.scheduler();
  await s.reconcile('cron');
  assert.deepEqual(recipients(e.sink.received), ['reader1@example.org', 'reader2@example.org']);
  e.sink.received.length = 0;
  writeFileSync(e.eventsPath, EDITED);
  e.clock.advance(3600_000);
  return { e, s };
}

test('review: the next tick mails the organizers what is pending, once; nothing goes to readers', async () => {
  const { e, s } = await weekOneSent('review');
  try {
    await s.reconcile('tick');
    assert.deepEqual(recipients(e.sink.received), ['organizers@example.org']);
    const [m] = await e.mails();
    assert.equal(m.subject, '[Review] Corrections to the 2016-11-28 issue of Event Digest');
    assert.match(m.text!, /- Moved: Solar webinar, was Tue, Dec 6, 2:00 PM EST, now Wed, Dec 7, 3:00 PM EST/);
    assert.match(m.text!, /- Cancelled: Phone bank, Wed, Dec 7, 6:00 PM EST/);
    assert.match(m.text!, /would go to 2 readers/);
    assert.match(m.text!, /https:\/\/digest\.example\.org\/admin\/corrections/);
    e.clock.advance(60_000);
    await s.reconcile('tick');
    assert.equal(e.sink.received.length, 1, 'once per pending set');
  } finally {
    await e.close();
  }
});

test('auto: the next tick sends the corrections; the one after sends nothing', async () => {
  const { e, s } = await weekOneSent('auto');
  try {
    await s.reconcile('tick');
    assert.deepEqual(recipients(e.sink.received), ['reader1@example.org', 'reader2@example.org']);
    assert.match((await e.mails())[0].subject!, /^Changed since the last Event Digest: 2 updates/);
    assert.ok(e.logs.some((l) => l.event === 'corrections.sent' && l.sent === 2));
    e.clock.advance(60_000);
    await s.reconcile('tick');
    assert.equal(e.sink.received.length, 2);
  } finally {
    await e.close();
  }
});

test('off: nothing is sent or mailed', async () => {
  const { e, s } = await weekOneSent('off');
  try {
    await s.reconcile('tick');
    assert.equal(e.sink.received.length, 0);
  } finally {
    await e.close();
  }
});
