// send against a real smtp-server on loopback: one message per active subscriber, personalised, with the
// list headers; faults (451, 550, dropped connections) handled as the contract says; nothing twice.
import assert from 'node:assert/strict';
import { engineTest } from '../helpers/engines.ts';
import { simpleParser, type ParsedMail } from 'mailparser';
import { verifyToken } from '../../src/subscribers/tokens.ts';
import { perRecipient, startSink } from '../helpers/smtp-sink.ts';
import { addSubscribers, NOW, sendEnv } from '../helpers/send-env.ts';

const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');

const PEOPLE = [
  { email: 'ny@example.org', name: 'Nia York', timezone: 'America/New_York' },
  { email: 'la@example.org', name: 'Lou Angel', timezone: 'America/Los_Angeles' },
  { email: 'web@example.org', name: 'Wen Bee', timezone: 'America/Los_Angeles', kinds: ['webinar'] },
  { email: 'berlin@example.org', timezone: 'Europe/Berlin' },
  { email: 'gone@example.org', status: 'unsubscribed' as const },
  { email: 'pending@example.org', status: 'pending' as const },
];

engineTest('every active subscriber gets exactly one message: personalised, with the list headers and a working unsubscribe link', async (_t, engine) => {
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url, engine });
    const store = await e.store();
    await addSubscribers(store, PEOPLE);
    const r = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n').at(-1), 'sent 4, skipped 0, failed 0, deferred 0');
    assert.deepEqual([...perRecipient(sink.received)].sort(), [['berlin@example.org', 1], ['la@example.org', 1], ['ny@example.org', 1], ['web@example.org', 1]]);
    const mails = new Map<string, ParsedMail>();
    for (const m of sink.received) mails.set(m.to[0], await simpleParser(m.raw));
    const ny = mails.get('ny@example.org') as ParsedMail;
    assert.equal(ny.subject, 'Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more (Nov 28 – Dec 18)');
    assert.ok(ny.text?.includes('Hi Nia York,'));
    assert.ok(ny.text?.includes('Tue, Dec 6 · 2:00 – 3:00 PM EST (11:00 AM PST)'));
    assert.ok(typeof ny.html === 'string' && ny.html.includes('Tue, Dec 6 · 2:00 – 3:00 PM EST (11:00 AM PST)'));
    assert.ok(mails.get('la@example.org')?.text?.includes('Tue, Dec 6 · 11:00 AM – 12:00 PM PST'));
    assert.ok(mails.get('berlin@example.org')?.text?.includes('Tue, Dec 6 · 8:00 – 9:00 PM CET (11:00 AM PST)'));
    assert.equal(mails.get('web@example.org')?.subject, 'Dec 6: RE-volv Webinar (Nov 28 – Dec 18)');
    const secret = await store.meta.linkSecret();
    for (const [address, m] of mails) {
      const id = (await store.subscribers.findByEmail(address))?.id;
      assert.match(String(m.headers.get('content-type') && (m.headers.get('content-type') as { value: string }).value), /^multipart\/alternative$/);
      assert.equal(m.messageId, `<event-digest.2016-11-28.s${id}@localhost>`);
      assert.equal(m.date?.toISOString(), new Date(NOW).toISOString());
      assert.equal(header(m, 'list-id'), 'Event Digest <event-digest.localhost>');
      assert.equal(header(m, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      assert.equal(header(m, 'list-archive'), '<https://digest.example.org/archive>');
      assert.equal(header(m, 'list-subscribe'), '<https://digest.example.org/subscribe>');
      assert.equal(header(m, 'precedence'), 'bulk');
      const url = /^<(https:\/\/digest\.example\.org\/unsubscribe\/([^>]+))>$/.exec(header(m, 'list-unsubscribe') ?? '');
      assert.ok(url, header(m, 'list-unsubscribe'));
      assert.equal(verifyToken(secret, 'unsubscribe', url[2]), id, 'the link names this subscriber');
      assert.ok(m.text?.includes(`Unsubscribe: ${url[1]}`), 'the body links to the same URL');
      assert.ok(typeof m.html === 'string' && m.html.includes(`href="${url[1]}"`));
    }
    // Again: nobody is mailed twice.
    const again = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out.split('\n').at(-1), 'sent 0, skipped 0, failed 0, deferred 0');
    assert.equal(sink.received.length, 4);
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('451 then accepted: retried with backoff and sent once; the ledger counts two attempts', async (_t, engine) => {
  const sink = await startSink({ rcpt: (a, n) => (a.startsWith('la') && n === 1 ? { code: 451, message: '4.3.0 Try again later' } : undefined) });
  try {
    const e = sendEnv({ smtpUrl: sink.url, engine });
    const store = await e.store();
    await addSubscribers(store, PEOPLE.slice(0, 4));
    const r = await e.cli(['send', '--as-of', '2016-11-28', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out.split('\n').at(-1) ?? ''), { sent: 4, skipped: 0, failed: 0, deferred: 0, issue: 1, stopped: null });
    assert.equal(perRecipient(sink.received).get('la@example.org'), 1);
    assert.equal((await store.deliveries.get(1, (await store.subscribers.findByEmail('la@example.org'))?.id ?? 0))?.attempts, 2);
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('550 5.1.1 is permanent: failed with the reply, the address bounced, not retried; exit 1', async (_t, engine) => {
  const sink = await startSink({ rcpt: (a) => (a.startsWith('berlin') ? { code: 550, message: '5.1.1 <berlin@example.org>: no such user' } : undefined) });
  try {
    const e = sendEnv({ smtpUrl: sink.url, engine });
    const store = await e.store();
    await addSubscribers(store, PEOPLE.slice(0, 4));
    const r = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(r.code, 1);
    assert.equal(r.out.split('\n').at(-1), 'sent 3, skipped 0, failed 1, deferred 0');
    assert.equal(sink.attempts.get('berlin@example.org'), 1);
    const berlin = await store.subscribers.findByEmail('berlin@example.org');
    assert.equal(berlin?.status, 'bounced');
    const row = await store.deliveries.get(1, berlin?.id ?? 0);
    assert.equal(row?.state, 'failed');
    assert.match(row?.lastReply ?? '', /^550 5\.1\.1 <berlin@example\.org>: no such user/);
    const again = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(again.out.split('\n').at(-1), 'sent 0, skipped 0, failed 0, deferred 0');
    assert.equal(sink.attempts.get('berlin@example.org'), 1);
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('a dropped connection is retried on a new one and the message goes out once', async (_t, engine) => {
  const sink = await startSink({ drop: (a, n) => a.startsWith('ny') && n === 1 });
  try {
    const e = sendEnv({ smtpUrl: sink.url, engine });
    const store = await e.store();
    await addSubscribers(store, PEOPLE.slice(0, 4));
    const r = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n').at(-1), 'sent 4, skipped 0, failed 0, deferred 0');
    assert.equal(sink.attempts.get('ny@example.org'), 2);
    assert.equal(perRecipient(sink.received).get('ny@example.org'), 1);
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('still 4xx after the retries: deferred, exit 1, and the next run sends it', async (_t, engine) => {
  let refuse = true;
  const sink = await startSink({ rcpt: (a) => (refuse && a.startsWith('la') ? { code: 452, message: '4.2.2 Mailbox full' } : undefined) });
  try {
    const e = sendEnv({ smtpUrl: sink.url, sending: { retries: 1 }, engine });
    const store = await e.store();
    await addSubscribers(store, PEOPLE.slice(0, 4));
    const r = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(r.code, 1);
    assert.equal(r.out.split('\n').at(-1), 'sent 3, skipped 0, failed 0, deferred 1');
    assert.equal(sink.attempts.get('la@example.org'), 2);
    refuse = false;
    const again = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out.split('\n').at(-1), 'sent 1, skipped 0, failed 0, deferred 0');
    assert.deepEqual([...perRecipient(sink.received).values()], [1, 1, 1, 1]);
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('after N failures in a row the run stops, says why, exits 1, and loses nothing', async (_t, engine) => {
  const sink = await startSink({ rcpt: () => ({ code: 421, message: '4.7.0 Too busy' }) });
  try {
    const e = sendEnv({ smtpUrl: sink.url, sending: { retries: 0, stopAfterFailures: 3, connections: 1 }, engine });
    const store = await e.store();
    await addSubscribers(store, Array.from({ length: 10 }, (_, i) => ({ email: `p${i}@example.org` })));
    const r = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(r.code, 1);
    assert.match(r.err, /stopped early: 3 failures in a row/);
    assert.equal(r.out.split('\n').at(-1), 'sent 0, skipped 0, failed 0, deferred 3');
    const counts = await store.deliveries.counts(1);
    assert.deepEqual({ deferred: counts.deferred, queued: counts.queued, sent: counts.sent }, { deferred: 3, queued: 7, sent: 0 });
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('an unsubscribe during the run is honoured for every message not yet handed to the server', async (_t, engine) => {
  let e: ReturnType<typeof sendEnv>;
  const sink = await startSink({
    onAccepted: async (_m, count) => {
      if (count !== 1) return;
      const other = await e.store();
      await other.subscribers.unsubscribe((await other.subscribers.findByEmail('p9@example.org'))?.id ?? 0);
      await other.close();
    },
  });
  try {
    e = sendEnv({ smtpUrl: sink.url, sending: { connections: 1 }, engine });
    const store = await e.store();
    await addSubscribers(store, Array.from({ length: 10 }, (_, i) => ({ email: `p${i}@example.org` })));
    const r = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n').at(-1), 'sent 9, skipped 1, failed 0, deferred 0');
    assert.equal(perRecipient(sink.received).get('p9@example.org'), undefined);
    const row = await store.deliveries.get(1, (await store.subscribers.findByEmail('p9@example.org'))?.id ?? 0);
    assert.deepEqual([row?.state, row?.lastReply], ['skipped', 'subscriber is unsubscribed']);
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('--dry-run renders and records nothing; --to sends one test and records nothing', async (_t, engine) => {
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url, engine });
    const store = await e.store();
    await addSubscribers(store, PEOPLE);
    const dry = await e.cli(['send', '--as-of', '2016-11-28', '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /dry run: 4 messages would be sent/);
    assert.equal(dry.out.split('\n').at(-1), 'sent 0, skipped 0, failed 0, deferred 0');
    const to = await e.cli(['send', '--as-of', '2016-11-28', '--to', 'organizer@example.org']);
    assert.equal(to.code, 0, to.err);
    assert.equal(to.out.split('\n').at(-1), 'sent 1, skipped 0, failed 0, deferred 0');
    assert.equal(sink.received.length, 1);
    assert.deepEqual(sink.received[0].to, ['organizer@example.org']);
    assert.match(String((await simpleParser(sink.received[0].raw)).subject), /^\[Test\] Dec 6: RE-volv Webinar, /);
    assert.equal((await store.issues.list()).length, 0);
    const bad = await e.cli(['send', '--to', 'not-an-address']);
    assert.equal(bad.code, 2);
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('a quiet week sends no issue by default', async (_t, engine) => {
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url, engine });
    const store = await e.store();
    await addSubscribers(store, PEOPLE.slice(0, 2));
    const r = await e.cli(['send', '--as-of', '2017-01-09']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /nothing is scheduled for Jan 9 – 29, 2017: no issue sent/);
    assert.equal(sink.received.length, 0);
    await store.close();
  } finally {
    await sink.close();
  }
});
