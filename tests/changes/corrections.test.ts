// `corrections` end to end: exactly the readers whose copy listed a moved or cancelled event, once each; reruns and SIGKILL.
// Each runs on both engines (snapshots, the copies' kinds and places in the ledger, the claims a killed run leaves).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { simpleParser } from 'mailparser';
import { engineTest } from '../helpers/engines.ts';
import { addSubscribers, ROOT } from '../helpers/send-env.ts';
import { perRecipient, startSink } from '../helpers/smtp-sink.ts';
import { changesEnv, EDITED } from './calendar.ts';

const AFTER = { DIGEST_NOW: '2016-12-01T12:00:00Z' };

engineTest('corrections reach exactly the readers whose copy listed the moved webinar or the cancelled phone bank, once each', async (_t, engine) => {
  const sink = await startSink();
  try {
    const e = await changesEnv(sink.url, { engine });
    assert.equal((await e.cli(['send', '--as-of', '2016-11-28'])).code, 0);
    sink.received.length = 0;
    const none = await e.cli(['corrections', '--dry-run'], AFTER);
    assert.match(none.out, /0 changes since it was sent/);

    e.setCalendar(EDITED);
    const dry = await e.cli(['corrections', '--dry-run'], AFTER);
    assert.equal(dry.code, 0, dry.err);
    assert.equal(
      dry.out,
      [
        'the 2016-11-28 issue (Nov 28 – Dec 18, 2016): 2 changes since it was sent',
        '  Moved: Solar webinar, was Tue, Dec 6, 2:00 PM EST, now Wed, Dec 7, 3:00 PM EST — reaches 3 readers, 3 not told yet',
        '  Cancelled: Phone bank, Wed, Dec 7, 6:00 PM EST at Union Hall, Springfield, IL — reaches 2 readers, 2 not told yet',
        'dry run: 3 corrections would be sent; nothing was sent or recorded',
        'sent 0, skipped 0, failed 0, deferred 0',
      ].join('\n'),
    );
    assert.equal(sink.received.length, 0);
    const status = await e.cli(['status'], AFTER);
    assert.match(status.out, /^corrections \(review\): 2 changes to the 2016-11-28 issue, 3 readers not told yet \(event-digest corrections\)$/m);
    assert.match(status.out, /^ {2}Moved: Solar webinar, was Tue, Dec 6, 2:00 PM EST, now Wed, Dec 7, 3:00 PM EST — 3 of 3 not told yet$/m);
    assert.match(status.out, /^ {2}Cancelled: Phone bank, .* — 2 of 2 not told yet$/m);

    const run = await e.cli(['corrections'], AFTER);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /sent 3, skipped 0, failed 0, deferred 0$/);
    assert.deepEqual([...perRecipient(sink.received)].sort(), [['berlin@example.org', 1], ['ny@example.org', 1], ['webinars@example.org', 1]]);
    const mail = new Map(await Promise.all(sink.received.map(async (m) => [m.to[0], await simpleParser(m.raw)] as const)));
    const berlin = mail.get('berlin@example.org')!;
    assert.match(berlin.subject!, /^Changed since the last Event Digest: 2 updates \(Nov 28 – Dec 18, 2016\)$/);
    assert.match(berlin.text!, /^Hi Bea Lin,/);
    assert.match(berlin.text!, /Moved: Solar webinar, was Tue, Dec 6, 8:00 PM GMT\+1, now Wed, Dec 7, 9:00 PM GMT\+1/);
    assert.match(berlin.text!, /Cancelled: Phone bank, Thu, Dec 8, 12:00 AM GMT\+1 at Union Hall/);
    assert.match(berlin.html as string, /<strong style="color:#cf222e">Cancelled:<\/strong> <s>Phone bank/);
    assert.match(sink.received.find((m) => m.to[0] === 'berlin@example.org')!.raw.toString(), /^List-Unsubscribe:\s+<https:\/\/digest\.example\.org\/unsubscribe\//m);
    const webinars = mail.get('webinars@example.org')!;
    assert.match(webinars.subject!, /1 update/);
    assert.doesNotMatch(webinars.text!, /Phone bank/, 'a webinar reader was not told about an action');

    const again = await e.cli(['corrections'], AFTER);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /— reaches 3 readers, 0 not told yet/);
    assert.match(again.out, /sent 0, skipped 0, failed 0, deferred 0$/);
    assert.equal(sink.received.length, 3);
    const statusJson = JSON.parse((await e.cli(['status', '--json'], AFTER)).out);
    assert.deepEqual([statusJson.corrections.mode, statusJson.corrections.issue, statusJson.corrections.pending, statusJson.corrections.changes.length], ['review', '2016-11-28', 0, 2]);

    // A further change is a new change set: the readers it concerns get one more correction, with both changes.
    e.setCalendar(EDITED.replace('"Union Hall"', '"Labor Temple"'));
    const more = await e.cli(['corrections', '--json'], AFTER);
    assert.equal(more.code, 0, more.err);
    const summary = JSON.parse(more.out);
    assert.deepEqual([summary.sent, summary.changes.length], [2, 3]);
    assert.deepEqual([...perRecipient(sink.received)].sort(), [['berlin@example.org', 2], ['ny@example.org', 2], ['webinars@example.org', 1]]);
  } finally {
    await sink.close();
  }
});

engineTest('corrections refuses a real mail server while baseUrl is this machine, as send does (exit 2)', async (_t, engine) => {
  const sink = await startSink();
  try {
    const e = await changesEnv(sink.url, { extraConfig: '', engine });
    const r = await e.cli(['corrections'], { ...AFTER, DIGEST_BASE_URL: 'http://127.0.0.1:3000' });
    assert.equal(r.code, 2);
    assert.match(r.err, /baseUrl \(DIGEST_BASE_URL\) is http:\/\/127\.0\.0\.1:3000, this machine only: .*; not sending corrections$/);
    assert.equal(sink.received.length, 0);
  } finally {
    await sink.close();
  }
});

engineTest('SIGKILL in the middle of corrections, then run again: nobody missing, duplicates at most those in flight', async (t, engine) => {
  const sink = await startSink({ delayMs: 2 });
  try {
    const e = await changesEnv(sink.url, { engine });
    const store = await e.store();
    await addSubscribers(store, Array.from({ length: 400 }, (_, i) => ({ email: `r${String(i).padStart(3, '0')}@example.org`, kinds: ['webinar'] })));
    assert.equal((await e.cli(['send', '--as-of', '2016-11-28'])).code, 0);
    sink.received.length = 0;
    e.setCalendar(EDITED);
    const child = spawn(process.execPath, [`${ROOT}/bin/event-digest.js`, 'corrections'], { cwd: e.dir, env: { ...process.env, ...e.env, ...(engine.name === 'postgres' ? { DIGEST_DB: await e.db() } : {}), ...AFTER, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_c, s) => ok(s)));
    const end = Date.now() + 120_000;
    while (sink.received.length < 100) {
      if (Date.now() > end) throw new Error('timed out waiting for 100 corrections');
      await new Promise((ok) => setTimeout(ok, 10));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const atCrash = sink.received.length;
    assert.ok(atCrash < 403, `killed before the end: ${atCrash}`);

    const again = await e.cli(['corrections'], AFTER);
    assert.equal(again.code, 0, again.err);
    const got = perRecipient(sink.received);
    assert.equal(got.size, 403, 'every reader whose copy listed the webinar, nobody else');
    assert.ok(!got.has('conferences@example.org'));
    const twice = [...got].filter(([, n]) => n > 1);
    assert.ok(twice.length <= 2, `${twice.length} duplicates with 2 connections`);
    assert.match((await e.cli(['corrections'], AFTER)).out, /sent 0, skipped 0, failed 0, deferred 0$/);
    t.diagnostic(`${atCrash} received at the kill, ${twice.length} sent twice after the rerun`);
    await store.close();
  } finally {
    await sink.close();
  }
});

engineTest('corrections follow each copy\'s place: a reader whose radius left the cancelled phone bank out is told only of the webinar', async (_t, engine) => {
  const sink = await startSink();
  try {
    const e = await changesEnv(sink.url, { engine });
    // Real gazetteer data: the phone bank is in Springfield, IL (placed from its city and state), the webinar online.
    for (const [email, place] of [['springfield@example.org', 'Springfield, IL'], ['columbus@example.org', 'Columbus, OH']]) {
      const r = await e.cli(['subscribers', 'add', email, '--location', place, '--radius', '50']);
      assert.equal(r.code, 0, r.err);
    }
    assert.equal((await e.cli(['send', '--as-of', '2016-11-28'])).code, 0);
    const copies = new Map(await Promise.all(sink.received.map(async (m) => [m.to[0], (await simpleParser(m.raw)).text ?? ''] as const)));
    assert.match(copies.get('springfield@example.org')!, /Phone bank/);
    assert.doesNotMatch(copies.get('columbus@example.org')!, /Phone bank/, 'the Columbus copy left the far phone bank out');
    sink.received.length = 0;

    e.setCalendar(EDITED);
    const run = await e.cli(['corrections'], AFTER);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /Cancelled: Phone bank, .* — reaches 3 readers/);
    assert.match(run.out, /Moved: Solar webinar, .* — reaches 5 readers/);
    assert.deepEqual(
      [...perRecipient(sink.received)].sort(),
      [['berlin@example.org', 1], ['columbus@example.org', 1], ['ny@example.org', 1], ['springfield@example.org', 1], ['webinars@example.org', 1]],
    );
    const told = new Map(await Promise.all(sink.received.map(async (m) => [m.to[0], (await simpleParser(m.raw)).text ?? ''] as const)));
    assert.match(told.get('springfield@example.org')!, /Cancelled: Phone bank/);
    assert.match(told.get('columbus@example.org')!, /Moved: Solar webinar/);
    assert.doesNotMatch(told.get('columbus@example.org')!, /Phone bank/);
  } finally {
    await sink.close();
  }
});
