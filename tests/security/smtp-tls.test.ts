// The SMTP password never goes out in clear: smtp:// with credentials must upgrade with STARTTLS unless the
// host is loopback or the URL says ?insecure=1. Real smtp-server instances on 127.0.0.1, with and without
// STARTTLS (a self-signed certificate made for the test by openssl).
//
// Loopback is exempt, and a test server can only listen on loopback, so the rule is tested the way it is
// decided: on the host NAME as configured. `mail.example.test` is not a loopback name; the transport's
// injected `lookup` (the only fake: name resolution) sends the TCP connection for it to 127.0.0.1, and
// everything after that — EHLO, STARTTLS or its absence, AUTH, the message — is the real exchange.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { DigestError } from '../../src/errors.ts';
import { smtpTlsRule } from '../../src/mail/transports/smtp-tls.ts';
import { smtpTransport } from '../../src/mail/transports/smtp.ts';
import type { OutgoingMessage } from '../../src/mail/transport.ts';
import { runSend } from '../../src/mail/sender.ts';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';

interface Seen {
  /** Each AUTH: the user, and whether the session was encrypted when the password arrived. */
  auths: { user: string; secure: boolean }[];
  messages: number;
}

interface Server {
  port: number;
  seen: Seen;
  close(): Promise<void>;
}

let cert: { key: Buffer; cert: Buffer };

before(() => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=mail.example.test'], { stdio: 'ignore' });
  cert = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
});

const servers: Server[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function startServer(starttls: boolean): Promise<Server> {
  const seen: Seen = { auths: [], messages: 0 };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: starttls ? [] : ['STARTTLS'],
    ...(starttls ? { key: cert.key, cert: cert.cert } : {}),
    // Plain AUTH over a plain connection must be possible for the test to see a password that went in clear.
    allowInsecureAuth: true,
    onAuth(auth, session, callback) {
      seen.auths.push({ user: auth.username ?? '', secure: session.secure });
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        seen.messages++;
        callback();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const s = { port: (server.server.address() as AddressInfo).port, seen, close: () => new Promise<void>((ok) => server.close(() => ok())) };
  servers.push(s);
  return s;
}

const message = (to = 'ann@example.org'): OutgoingMessage => ({
  raw: Buffer.from(`From: d@example.org\r\nTo: ${to}\r\nSubject: hi\r\nMessage-ID: <m@example.org>\r\n\r\nhello\r\n`),
  from: 'd@example.org',
  to,
  messageId: 'm@example.org',
  issueKey: 'k',
});

/** mail.example.test (and only it) is on this machine: what a hosts file or DNS would say. */
const toLoopback = async (host: string) => {
  assert.equal(host, 'mail.example.test');
  return '127.0.0.1';
};

test('the rule reads the URL as configured: credentials over smtp:// to a non-loopback host need STARTTLS', () => {
  assert.equal(smtpTlsRule('smtp://u:p@mail.example.org:587').requireTLS, true);
  assert.equal(smtpTlsRule('smtp://mail.example.org:25').requireTLS, false, 'no credentials, nothing to protect');
  assert.equal(smtpTlsRule('smtps://u:p@mail.example.org:465').requireTLS, false, 'TLS from the first byte');
  for (const host of ['127.0.0.1', '127.3.4.5', 'localhost', 'LOCALHOST', '[::1]']) assert.equal(smtpTlsRule(`smtp://u:p@${host}:25`).requireTLS, false, host);
  // A name that merely resolves to loopback is not trusted as loopback: DNS can say anything.
  assert.equal(smtpTlsRule('smtp://u:p@localhost.example.org:25').requireTLS, true);
  const insecure = smtpTlsRule('smtp://u:p@mail.example.org:25?insecure=1');
  assert.equal(insecure.requireTLS, false);
  assert.equal(insecure.url, 'smtp://u:p@mail.example.org:25', 'the flag is ours, not passed to nodemailer');
  assert.throws(() => smtpTlsRule('not a url with secret:pw'), (e: unknown) => e instanceof DigestError && e.code === 'CONFIG' && !e.message.includes('pw'));
});

test('a server without STARTTLS: refused with one line naming SMTP_URL, before the password or the message went out', async () => {
  const s = await startServer(false);
  const t = smtpTransport({ url: `smtp://ann:s3cret@mail.example.test:${s.port}`, connections: 1, perSecond: 0, lookup: toLoopback });
  try {
    await assert.rejects(t.send(message()), (e: unknown) => {
      assert.ok(e instanceof DigestError && e.code === 'CONFIG', String(e));
      assert.match(e.message, /^SMTP_URL: mail\.example\.test:\d+ did not upgrade to TLS \(STARTTLS\)/);
      assert.ok(!e.message.includes('\n') && !e.message.includes('s3cret'));
      return true;
    });
  } finally {
    await t.close();
  }
  assert.deepEqual(s.seen, { auths: [], messages: 0 });
});

test('a server with STARTTLS: the password and the message go over TLS', async () => {
  const s = await startServer(true);
  const t = smtpTransport({ url: `smtp://ann:s3cret@mail.example.test:${s.port}`, connections: 1, perSecond: 0, lookup: toLoopback, allowSelfSigned: true });
  try {
    const r = await t.send(message());
    assert.match(r.response, /^250/);
  } finally {
    await t.close();
  }
  assert.deepEqual(s.seen, { auths: [{ user: 'ann', secure: true }], messages: 1 });
});

test('the exemptions: a loopback host, and ?insecure=1, send over a plain connection', async () => {
  const s = await startServer(false);
  for (const url of [`smtp://ann:s3cret@127.0.0.1:${s.port}`, `smtp://ann:s3cret@mail.example.test:${s.port}?insecure=1`]) {
    const t = smtpTransport({ url, connections: 1, perSecond: 0, lookup: url.includes('example.test') ? toLoopback : undefined });
    try {
      assert.match((await t.send(message())).response, /^250/, url);
    } finally {
      await t.close();
    }
  }
  assert.deepEqual(s.seen, { auths: [{ user: 'ann', secure: false }, { user: 'ann', secure: false }], messages: 2 });
});

test('the send run stops at the refusal: that row is deferred, no other message is tried, the error reaches the caller', async () => {
  const s = await startServer(false);
  const store = await sendEnv().store();
  await addSubscribers(store, ['a', 'b', 'c', 'd'].map((n) => ({ email: `${n}@example.org` })));
  const issue = await store.issues.issueFor({ list: 'l', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 's' });
  await store.deliveries.enqueueActive(issue.id, 'p.', '@example.org');
  const transport = smtpTransport({ url: `smtp://ann:s3cret@mail.example.test:${s.port}`, connections: 1, perSecond: 0, lookup: toLoopback });
  try {
    await assert.rejects(
      runSend(issue, await store.deliveries.unfinished(issue.id), {
        ledger: store.deliveries,
        subscribers: { get: (i) => store.deliveries.recipient(i), suppress: async () => undefined },
        transport,
        message: async (r, messageId) => ({ ...message(r.email), messageId }),
        retries: 3,
        backoffMs: 1,
        stopAfterFailures: 25,
      }),
      /^DigestError: SMTP_URL: /,
    );
  } finally {
    await transport.close();
  }
  assert.deepEqual(await store.deliveries.counts(issue.id), { queued: 3, sending: 0, sent: 0, failed: 0, skipped: 0, deferred: 1 });
  assert.deepEqual(s.seen, { auths: [], messages: 0 });
  await store.close();
});
