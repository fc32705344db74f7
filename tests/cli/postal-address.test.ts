// No digest goes through SMTP without a postal address (CAN-SPAM): send, send --to, corrections and the scheduler refuse
// with exit 2 and one line naming the key and its variable; the outbox, preview and --dry-run only warn.
// A real SQLite file, a loopback smtp-server, the CLI in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';
import { startSink } from '../helpers/smtp-sink.ts';
import { preSendChecks } from '../../src/web/checks.ts';
import { webEnv } from '../helpers/web-env.ts';

const REFUSED = 'event-digest: postalAddress (DIGEST_POSTAL_ADDRESS) is empty: bulk mail must carry your postal address (CAN-SPAM, and the big mailbox providers\' sender rules); not mailing through SMTP';

test('without postalAddress, send, send --to, corrections and schedule refuse to mail through SMTP (exit 2, one line); nothing is sent or recorded', async () => {
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url, extraConfig: 'postalAddress: "  "\n' });
    const store = await e.store();
    await addSubscribers(store, [{ email: 'a@example.org' }]);
    for (const args of [['send', '--as-of', '2016-11-28'], ['send', '--as-of', '2016-11-28', '--to', 'me@example.org'], ['schedule', '--no-web'], ['corrections']]) {
      const r = await e.cli(args);
      assert.deepEqual([r.code, r.err], [2, REFUSED], args.join(' '));
    }
    assert.equal(sink.received.length, 0);
    assert.deepEqual(await store.issues.list(), []);
    // The variable fills the key: then it goes.
    const fixed = await e.cli(['send', '--as-of', '2016-11-28'], { DIGEST_POSTAL_ADDRESS: 'Our Group, PO Box 1, Springfield' });
    assert.equal(fixed.code, 0, fixed.err);
    assert.equal(sink.received.length, 1);
    assert.ok(sink.received[0].raw.toString().includes('PO Box 1'));
    await store.close();
  } finally {
    await sink.close();
  }
});

test('without postalAddress, --dry-run, the file outbox and preview still work and warn; check and the admin checks list it', async () => {
  const e = sendEnv({ extraConfig: 'postalAddress: ""\n' });
  const store = await e.store();
  await addSubscribers(store, [{ email: 'a@example.org' }]);
  await store.close();
  const warning = /warning: postalAddress \(DIGEST_POSTAL_ADDRESS\) is empty: .*set it before mail goes out through SMTP/;
  const dry = await e.cli(['send', '--as-of', '2016-11-28', '--dry-run'], { SMTP_URL: 'smtp://127.0.0.1:9' });
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.err, warning);
  const outbox = await e.cli(['send', '--as-of', '2016-11-28']);
  assert.equal(outbox.code, 0, outbox.err);
  assert.match(outbox.err, warning);
  assert.equal(readdirSync(join(e.dir, 'var/outbox/event-digest-2016-11-28')).filter((f) => f.endsWith('.eml')).length, 1);
  const preview = await e.cli(['preview', '--as-of', '2016-11-28', '--out', 'out']);
  assert.equal(preview.code, 0, preview.err);
  assert.match(preview.err, warning);
  assert.ok(existsSync(join(e.dir, 'out/digest.eml')));
  const check = await e.cli(['check']);
  assert.match(check.out, /: warning: postalAddress \(DIGEST_POSTAL_ADDRESS\): no postal address/);
});

test('the admin checks page lists a missing postal address (an error when mail goes through SMTP), and its test send refuses', async () => {
  const env = await webEnv({ config: { postalAddress: '', smtp: 'smtp://127.0.0.1:9' } });
  try {
    const page = await (await env.req('/admin?date=2016-11-28')).text();
    assert.match(page, /postalAddress \(DIGEST_POSTAL_ADDRESS\) is empty[^<]*send refuses to mail this issue/);
    const sent = await env.post('/admin/test', { to: 'me@example.org', date: '2016-11-28' });
    assert.equal(sent.status, 409);
    assert.match(await sent.text(), /not mailing through SMTP/);
  } finally {
    await env.close();
  }
  // Into the outbox it is a warning, and with the address there is no finding at all.
  const sel = { window: { startDate: '2016-11-28' }, occurrences: [], cut: [], saveTheDate: [] } as never;
  const base = { findings: [], selection: sel, kinds: [], htmlBytes: 1000, readerZones: new Map(), listZone: 'UTC' };
  assert.equal(preSendChecks({ ...base, postalAddress: 'missing' }).find((c) => c.message.startsWith('postalAddress'))?.severity, 'warning');
  assert.equal(preSendChecks({ ...base, postalAddress: true }).find((c) => c.message.startsWith('postalAddress')), undefined);
});
