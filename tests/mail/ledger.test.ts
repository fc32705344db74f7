// The send ledger's group commit: 'sending' is recorded only for a subscriber still active at that
// moment (checked in the same transaction), and the sender skips those the ledger refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SendLedger } from '../../src/mail/ledger.ts';
import { runSend } from '../../src/mail/sender.ts';
import type { MailTransport } from '../../src/mail/transport.ts';
import { fixedClock } from '../../src/clock.ts';
import { addSubscribers, NOW, sendEnv } from '../helpers/send-env.ts';

function setUp(emails: string[]) {
  const store = sendEnv().store();
  addSubscribers(store, emails.map((email) => ({ email })));
  const ledger = new SendLedger(store.db, fixedClock(new Date(NOW)));
  const issue = ledger.issueFor({ list: 'l', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 's' });
  ledger.enqueueActive(issue, 'p.', '@example.org');
  const id = (email: string) => store.subscribers.findByEmail(email)?.id ?? 0;
  return { store, ledger, issue, id };
}

test("markAll: a 'sending' for a subscriber no longer active becomes 'skipped' with the status, and is reported", () => {
  const { store, ledger, issue, id } = setUp(['a@example.org', 'b@example.org', 'c@example.org']);
  store.subscribers.unsubscribe(id('b@example.org'));
  const refused = ledger.markAll(issue.id, [
    { subscriberId: id('a@example.org'), state: 'sending' },
    { subscriberId: id('b@example.org'), state: 'sending' },
    { subscriberId: id('c@example.org'), state: 'sent', reply: '250 ok' },
  ]);
  assert.deepEqual(refused, [id('b@example.org')]);
  assert.deepEqual(
    ['a', 'b', 'c'].map((n) => {
      const d = ledger.delivery(issue.id, id(`${n}@example.org`));
      return [d?.state, d?.attempts, d?.last_reply];
    }),
    [
      ['sending', 1, null],
      ['skipped', 0, 'subscriber is unsubscribed'],
      ['sent', 0, '250 ok'],
    ],
  );
  const r = ledger.recipient(id('a@example.org'));
  assert.deepEqual(r && { ...r, id: 0 }, { id: 0, email: 'a@example.org', name: null, timezone: 'America/New_York', kinds: [], status: 'active' });
  store.close();
});

test('runSend: an unsubscribe between the re-read and the commit is honoured; several workers share commits; every row ends', async () => {
  const emails = Array.from({ length: 40 }, (_, i) => `r${i}@example.org`);
  const { store, ledger, issue, id } = setUp(emails);
  const late = id('r17@example.org');
  const handedOver: number[] = [];
  const transport: MailTransport = {
    name: 'fake',
    concurrency: 4,
    async send(m) {
      handedOver.push(Number(/^p\.(\d+)@/.exec(m.messageId)?.[1]));
      await new Promise((ok) => setTimeout(ok, 1));
      return { response: '250 ok' };
    },
    async close() {},
  };
  let commits = 0;
  const markAll = ledger.markAll.bind(ledger);
  ledger.markAll = (issueId, changes) => (commits++, markAll(issueId, changes));
  const run = await runSend(issue, ledger.unfinished(issue.id), {
    ledger,
    subscribers: { get: (i) => ledger.recipient(i), suppress: () => undefined },
    transport,
    // The subscriber unsubscribes after the sender read them and built their message, before the hand-over.
    message: async (s, messageId) => {
      if (s.id === late) store.subscribers.unsubscribe(late);
      return { raw: Buffer.from('x'), from: 'd@example.org', to: s.email, messageId, issueKey: 'k' };
    },
    retries: 0,
    backoffMs: 1,
    stopAfterFailures: 5,
  });
  assert.deepEqual(run.counts, { sent: 39, skipped: 1, failed: 0, deferred: 0 });
  assert.ok(!handedOver.includes(late), 'the unsubscribed reader was not handed to the server');
  assert.deepEqual(ledger.counts(issue.id), { queued: 0, sending: 0, sent: 39, failed: 0, skipped: 1, deferred: 0 });
  assert.ok(commits < 40 + 4, `${commits} commits for 40 messages`);
  store.close();
});
