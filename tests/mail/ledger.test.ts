// The send ledger's group commit: 'sending' is recorded only for a subscriber still active at that
// moment (checked in the same transaction), and the sender skips those the ledger refused.
import assert from 'node:assert/strict';
import { engineTest, type Engine } from '../helpers/engines.ts';
import { runSend } from '../../src/mail/sender.ts';
import type { MailTransport } from '../../src/mail/transport.ts';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';

async function setUp(emails: string[], engine: Engine) {
  const store = await sendEnv({ engine }).store();
  await addSubscribers(store, emails.map((email) => ({ email })));
  const ledger = store.deliveries;
  const issue = await store.issues.issueFor({ list: 'l', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 's' });
  await ledger.enqueueActive(issue.id, 'p.', '@example.org');
  const ids = new Map((await store.subscribers.list()).map((s) => [s.email, s.id]));
  const id = (email: string) => ids.get(email) ?? 0;
  return { store, ledger, issue, id };
}

engineTest("markAll: a 'sending' for a subscriber no longer active becomes 'skipped' with the status, and is reported", async (_t, engine) => {
  const { store, ledger, issue, id } = await setUp(['a@example.org', 'b@example.org', 'c@example.org'], engine);
  await store.subscribers.unsubscribe(id('b@example.org'));
  const refused = await ledger.markAll(issue.id, [
    { subscriberId: id('a@example.org'), state: 'sending' },
    { subscriberId: id('b@example.org'), state: 'sending' },
    { subscriberId: id('c@example.org'), state: 'sent', reply: '250 ok' },
  ]);
  assert.deepEqual(refused, [id('b@example.org')]);
  const rows = await Promise.all(['a', 'b', 'c'].map((n) => ledger.get(issue.id, id(`${n}@example.org`))));
  assert.deepEqual(
    rows.map((d) => [d?.state, d?.attempts, d?.lastReply]),
    [
      ['sending', 1, null],
      ['skipped', 0, 'subscriber is unsubscribed'],
      ['sent', 0, '250 ok'],
    ],
  );
  const r = await ledger.recipient(id('a@example.org'));
  assert.deepEqual(r && { ...r, id: 0 }, { id: 0, email: 'a@example.org', name: null, firstName: null, timezone: 'America/New_York', kinds: [], status: 'active', location: null, radius: null });
  await store.close();
});

engineTest('runSend: an unsubscribe between the re-read and the commit is honoured; several workers share commits; every row ends', async (_t, engine) => {
  const emails = Array.from({ length: 40 }, (_, i) => `r${i}@example.org`);
  const { store, ledger, issue, id } = await setUp(emails, engine);
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
  const run = await runSend(issue, await ledger.unfinished(issue.id), {
    ledger: { markAll: (issueId, changes) => (commits++, ledger.markAll(issueId, changes)) },
    subscribers: { get: (i) => ledger.recipient(i), suppress: async () => undefined },
    transport,
    // The subscriber unsubscribes after the sender read them and built their message, before the hand-over.
    message: async (s, messageId) => {
      if (s.id === late) await store.subscribers.unsubscribe(late);
      return { raw: Buffer.from('x'), from: 'd@example.org', to: s.email, messageId, issueKey: 'k' };
    },
    retries: 0,
    backoffMs: 1,
    stopAfterFailures: 5,
  });
  assert.deepEqual(run.counts, { sent: 39, skipped: 1, failed: 0, deferred: 0 });
  assert.ok(!handedOver.includes(late), 'the unsubscribed reader was not handed to the server');
  assert.deepEqual(await ledger.counts(issue.id), { queued: 0, sending: 0, sent: 39, failed: 0, skipped: 1, deferred: 0 });
  assert.ok(commits < 40 + 4, `${commits} commits for 40 messages`);
  await store.close();
});
