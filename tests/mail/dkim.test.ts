// DKIM: messages sent over SMTP are signed, the signature covers List-Unsubscribe and List-Unsubscribe-Post,
// and it verifies (mailauth, with our public key served by a resolver instead of DNS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { startSink } from '../helpers/smtp-sink.ts';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';

test('every message is DKIM-signed over the list headers and the signature verifies', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url, extraConfig: 'from: Movement Digest <digest@news.example.org>\ndkim:\n  domain: news.example.org\n  selector: ed2026\n  privateKey: dkim.pem\n' });
    writeFileSync(join(e.dir, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const store = await e.store();
    await addSubscribers(store, [{ email: 'a@example.org' }, { email: 'b@example.org', name: 'Bé Ünal' }]);
    const r = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(r.code, 0, r.err);
    assert.equal(sink.received.length, 2);
    const dns = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (const m of sink.received) {
      const head = m.raw.toString('utf8').split('\r\n\r\n')[0];
      const sig = /^DKIM-Signature:([\s\S]*?)\r\n(?=\S)/m.exec(head)?.[1].replace(/\s+/g, '') ?? '';
      const h = /(?:^|;)h=([^;]+)/.exec(sig)?.[1].toLowerCase().split(':') ?? [];
      for (const name of ['from', 'subject', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post']) assert.ok(h.includes(name), `${name} signed: ${h}`);
      const result = await dkimVerify(m.raw, {
        resolver: async (name: string, type: string) => {
          assert.equal(`${name}/${type}`, 'ed2026._domainkey.news.example.org/TXT');
          return [[`v=DKIM1; k=rsa; p=${dns}`]];
        },
      });
      assert.equal(result.results[0]?.status?.result, 'pass', JSON.stringify(result.results[0]?.status));
      // A tampered List-Unsubscribe-Post fails.
      const tampered = Buffer.from(m.raw.toString('utf8').replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Clicks'));
      const bad = await dkimVerify(tampered, { resolver: async () => [[`v=DKIM1; k=rsa; p=${dns}`]] });
      assert.notEqual(bad.results[0]?.status?.result, 'pass');
    }
    await store.close();
  } finally {
    await sink.close();
  }
});
