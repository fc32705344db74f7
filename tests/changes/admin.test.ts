// The organizer pages: pending corrections with a preview and a CSRF-protected send; the preview's badges and change list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSink } from '../helpers/smtp-sink.ts';
import { webEnv } from '../helpers/web-env.ts';
import { changesEnv, EDITED } from './calendar.ts';

test('the corrections page lists the changes and whom they reach, previews them, and sends them by a same-origin POST only', async () => {
  const sink = await startSink();
  try {
    const e = await changesEnv(sink.url);
    assert.equal((await e.cli(['send', '--as-of', '2016-11-28'])).code, 0);
    e.setCalendar(EDITED);
    const web = await webEnv({ config: { db: await e.db(), events: [e.eventsPath] }, now: '2016-12-01T12:00:00Z' });
    try {
      const page = await (await web.req('/admin/corrections')).text();
      assert.match(page, /<td>Moved: Solar webinar, was Tue, Dec 6, 2:00 PM EST, now Wed, Dec 7, 3:00 PM EST<\/td><td class="num">3<\/td><td class="num">3<\/td>/);
      assert.match(page, /<td>Cancelled: Phone bank, Wed, Dec 7, 6:00 PM EST at Union Hall, Springfield, IL<\/td><td class="num">2<\/td><td class="num">2<\/td>/);
      assert.match(page, /<dd id="correction-subject">Changed since the last Event Digest: 2 updates \(Nov 28 – Dec 18, 2016\)<\/dd>/);
      assert.match(page, /<pre class="text" id="correction-preview">Hi Sample Reader,\n\nSince we sent you Event Digest for Nov 28 – Dec 18, 2016, these have changed:\n\nMoved: Solar webinar, was Tue, Dec 6, 2:00 PM EST, now Wed, Dec 7, 3:00 PM EST\nCancelled: Phone bank/);
      const plan = /name="plan" value="([0-9a-f]+)"/.exec(page)![1];
      assert.match(page, /Send 3 corrections/);

      const forged = await web.post('/admin/corrections/send', { plan }, { headers: { origin: 'https://evil.example' } });
      assert.equal(forged.status, 403);
      const stale = await web.post('/admin/corrections/send', { plan: '0000' });
      assert.equal(stale.status, 409);
      assert.equal((await web.mails('event-digest-corrections-2016-11-28')).length, 0);

      const sent = await web.post('/admin/corrections/send', { plan });
      assert.equal(sent.status, 200);
      assert.match(await sent.text(), /sent 3, skipped 0, failed 0, deferred 0/);
      const mails = await web.mails('event-digest-corrections-2016-11-28');
      assert.deepEqual(mails.map((m) => (m.to as { value: { address: string }[] }).value[0].address).sort(), ['berlin@example.org', 'ny@example.org', 'webinars@example.org']);
      assert.match(await (await web.req('/admin/corrections')).text(), /Every reader concerned has been told/);
      // The CLI's ledger is the same: nothing more to send.
      assert.match((await e.cli(['corrections'], { DIGEST_NOW: '2016-12-01T12:00:00Z' })).out, /sent 0, skipped 0, failed 0, deferred 0$/);
    } finally {
      await web.close();
    }
  } finally {
    await sink.close();
  }
});

test('the admin preview shows the badges for New York and Berlin readers and lists the changes since the last issue', async () => {
  const sink = await startSink();
  try {
    const e = await changesEnv(sink.url);
    assert.equal((await e.cli(['send', '--as-of', '2016-11-28'])).code, 0);
    e.setCalendar(EDITED);
    const web = await webEnv({ config: { db: await e.db(), events: [e.eventsPath] }, now: '2016-12-04T12:00:00Z' });
    try {
      await web.store.subscribers.add({ email: 'late@example.org', timezone: 'America/New_York' }, { source: 'test' });
      const page = await (await web.req('/admin?date=2016-12-05&subscriber=berlin%40example.org')).text();
      const list = /<ul id="changes">(.*?)<\/ul>/s.exec(page)![1];
      assert.deepEqual([...list.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]), [
        'Changed: Solar webinar, Wed, Dec 7, 9:00 PM GMT+1; was Tue, Dec 6, 8:00 PM GMT+1',
        'Cancelled: Phone bank, Thu, Dec 8, 12:00 AM GMT+1',
        'New: Town hall, Fri, Dec 9, 1:00 AM GMT+1',
      ]);
      assert.match(page, /Since the <a href="\/archive\/2016-11-28">2016-11-28 issue<\/a>: 3 changes/);
      const berlin = await (await web.req('/admin/preview.html?date=2016-12-05&subscriber=berlin%40example.org')).text();
      assert.match(berlin, /Changed:<\/strong> was Tue, Dec 6, 8:00 PM GMT\+1/);
      assert.match(berlin, /<s>Phone bank · Thu, Dec 8, 12:00 AM GMT\+1<\/s>/);
      const ny = await (await web.req('/admin/preview.html?date=2016-12-05&tz=America%2FNew_York')).text();
      assert.match(ny, /Changed:<\/strong> was Tue, Dec 6, 2:00 PM EST/);
      assert.match(ny, /<strong style="color:#1a7f37">New<\/strong>/);
      const late = await (await web.req('/admin/preview.html?date=2016-12-05&subscriber=late%40example.org')).text();
      assert.doesNotMatch(late, /Changed:|Cancelled:/);
      assert.match(late, /<strong style="color:#1a7f37">New<\/strong>/);
    } finally {
      await web.close();
    }
  } finally {
    await sink.close();
  }
});
