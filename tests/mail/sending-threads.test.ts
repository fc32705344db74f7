// The SMTP connections spread over sending threads: what arrives is byte for byte what was handed in (dots at
// line starts included), every connection carries a message at once, SMTP refusals keep their codes, and the
// threads are used only where the configuration allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFailure, type OutgoingMessage } from '../../src/mail/transport.ts';
import { sendingThreads, smtpTransport } from '../../src/mail/transports/smtp.ts';
import { startSink } from '../helpers/smtp-sink.ts';

function message(i: number, body: string): OutgoingMessage {
  const raw = Buffer.from(`From: d@example.org\r\nTo: r${i}@example.org\r\nSubject: ${i}\r\nMessage-ID: <m${i}@example.org>\r\n\r\n${body}\r\n`);
  return { raw, from: 'd@example.org', to: `r${i}@example.org`, messageId: `m${i}@example.org`, issueKey: 'k' };
}

test('the threads are used with more than one connection and no rate limit, never with a lookup or a rate', () => {
  assert.equal(sendingThreads({ connections: 5, perSecond: 0, threads: 2 }), 2);
  assert.equal(sendingThreads({ connections: 5, perSecond: 0, threads: 8 }), 5, 'no more threads than connections');
  assert.equal(sendingThreads({ connections: 1, perSecond: 0, threads: 2 }), 0);
  assert.equal(sendingThreads({ connections: 5, perSecond: 0, threads: 1 }), 0);
  assert.equal(sendingThreads({ connections: 5, perSecond: 0, threads: 0 }), 0);
  assert.equal(sendingThreads({ connections: 5, perSecond: 10, threads: 2 }), 0, 'the rate is counted by one pool');
  assert.equal(sendingThreads({ connections: 5, perSecond: 0, threads: 2, lookup: async () => '127.0.0.1' }), 0);
});

test('four connections over two threads: four messages in flight at once, each arriving byte for byte', { timeout: 60_000 }, async () => {
  // No DATA is answered before four wait: a thread given more messages than its connections would hang here.
  const sink = await startSink({ holdUntil: 4 });
  const t = smtpTransport({ url: sink.url, connections: 4, perSecond: 0, threads: 2 });
  try {
    const sent = [
      message(1, '.a dot at the start of a line\r\n..and two\r\n.'),
      message(2, 'x'.repeat(200_000)),
      message(3, 'plain'),
      message(4, 'last'),
    ];
    // A view into a larger buffer (as a pooled Buffer is) goes as its own bytes only.
    sent[3] = { ...sent[3], raw: Buffer.concat([Buffer.from('junk'), sent[3].raw, Buffer.from('junk')]).subarray(4, 4 + sent[3].raw.length) };
    const replies = await Promise.all(sent.map((m) => t.send(m)));
    for (const r of replies) assert.match(r.response, /^250 /);
    assert.equal(sink.received.length, 4);
    for (const m of sent) {
      const got = sink.received.find((r) => r.to[0] === m.to);
      assert.ok(got, m.to);
      assert.equal(got.raw.toString('latin1'), m.raw.toString('latin1'), m.to);
    }
    // A retry hands the same message again: it was copied to the thread, not moved.
    await t.send(sent[0]);
    assert.equal(sink.received.at(-1)?.raw.toString('latin1'), sent[0].raw.toString('latin1'));
  } finally {
    await t.close();
    await sink.close();
  }
});

test("a refusal comes back from the thread with the server's code and reply: 550 5.1.1 a bounce, 451 temporary", async () => {
  const sink = await startSink({
    rcpt: (a) => (a === 'r1@example.org' ? { code: 550, message: '5.1.1 no such user' } : a === 'r2@example.org' ? { code: 451, message: '4.3.0 try later' } : undefined),
  });
  const t = smtpTransport({ url: sink.url, connections: 2, perSecond: 0, threads: 2 });
  try {
    const [bounced, later, fine] = await Promise.allSettled([t.send(message(1, 'a')), t.send(message(2, 'b')), t.send(message(3, 'c'))]);
    assert.equal(bounced.status, 'rejected');
    assert.deepEqual(classifyFailure((bounced as PromiseRejectedResult).reason), { kind: 'permanent', reply: '550 5.1.1 no such user', bounce: true });
    assert.equal(later.status, 'rejected');
    assert.deepEqual(classifyFailure((later as PromiseRejectedResult).reason), { kind: 'temporary', reply: '451 4.3.0 try later', bounce: false });
    assert.equal(fine.status, 'fulfilled');
    assert.deepEqual(sink.received.map((r) => r.to[0]), ['r3@example.org']);
  } finally {
    await t.close();
    await sink.close();
  }
});
