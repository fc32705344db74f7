// Issues as sent and change badges, end to end: a real SQLite file, the loopback SMTP sink, the CLI, MIME parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { addSubscribers } from '../helpers/send-env.ts';
import { startSink } from '../helpers/smtp-sink.ts';
import { webEnv } from '../helpers/web-env.ts';
import { changesEnv, EDITED } from './calendar.ts';

const WEEK_TWO_NOW = { DIGEST_NOW: '2016-12-04T13:00:00Z' };

test('week one as sent: archive, select --as-of, badges in the next preview and issue for New York, Berlin and a reader who joined since', async () => {
  const sink = await startSink();
  try {
    const e = await changesEnv(sink.url);
    const one = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(one.code, 0, one.err);
    assert.match(one.out, /sent 4, skipped 0, failed 0, deferred 0/);

    // The snapshot: every occurrence of week one, all kinds, with the kinds each copy carried.
    const store = await e.store();
    const issue = (await store.issues.find('event-digest', '2016-11-28'))!;
    const snap = (await store.snapshots.get(issue.id))!;
    assert.deepEqual(
      snap.items.map((i) => [i.key, i.start]),
      [
        ['phone-bank|2016-11-30T18:00:00', '2016-11-30T18:00:00-05:00'],
        ['solar-webinar|', '2016-12-06T11:00:00-08:00'],
        ['phone-bank|2016-12-07T18:00:00', '2016-12-07T18:00:00-05:00'],
        ['democracy-conference|', '2016-12-10'],
        ['phone-bank|2016-12-14T18:00:00', '2016-12-14T18:00:00-05:00'],
      ],
    );
    assert.equal(snap.comparedWith, null);
    assert.deepEqual((await store.deliveries.readers(issue.id)).map((r) => r.kinds), [[], [], ['webinar'], ['conference']]);

    // The organizers edit the calendar: the webinar moves, one phone bank is cancelled, a town hall is added.
    e.setCalendar(EDITED);

    // The archive shows week one as sent: the webinar on Tuesday at its old time, the cancelled phone bank still there.
    const web = await webEnv({ config: { db: await e.db(), events: [e.eventsPath] }, now: '2016-12-01T12:00:00Z' });
    try {
      const page = await (await web.req('/archive/2016-11-28')).text();
      assert.match(page, /Tue, Dec 6 · 2:00 – 3:00 PM EST/);
      assert.doesNotMatch(page, /Dec 7 · 3:00/);
      assert.match(page, /Dec 7/, 'the phone bank of Dec 7 as listed then');
      assert.doesNotMatch(page, /Town hall/);
    } finally {
      await web.close();
    }
    // select answers from the calendar as now, naming the sent issue.
    const asOf = JSON.parse((await e.cli(['select', '--json', '--as-of', '2016-11-28'])).out);
    assert.deepEqual(asOf.sentIssue, { windowStart: '2016-11-28', subject: issue.subject, snapshotTakenAt: '2016-11-27T13:00:00.000Z', occurrences: 5 });
    assert.equal(asOf.occurrences.find((o: { eventId: string }) => o.eventId === 'solar-webinar').start, '2016-12-07T12:00:00-08:00');
    assert.equal(asOf.changesSince, null, 'nothing was sent before week one');

    // A reader who joins after week one.
    await addSubscribers(store, [{ email: 'late@example.org', timezone: 'America/New_York' }]);

    // The next issue's JSON: changed with what it was, new, cancelled in its old form, unchanged null.
    const next = JSON.parse((await e.cli(['select', '--json', '--as-of', '2016-12-05'], WEEK_TWO_NOW)).out);
    assert.equal(next.changesSince, '2016-11-28');
    assert.equal(next.sentIssue, null);
    const byTitle = (t: string) => next.occurrences.filter((o: { title: string }) => o.title === t);
    assert.deepEqual(byTitle('Solar webinar').map((o: { change: string; was: unknown }) => [o.change, o.was]), [
      ['changed', { start: '2016-12-06T11:00:00-08:00', end: '2016-12-06T12:00:00-08:00' }],
    ]);
    assert.deepEqual(byTitle('Town hall').map((o: { change: string }) => o.change), ['new']);
    assert.deepEqual(byTitle('Democracy conference').map((o: { change: string }) => o.change), [null]);
    assert.deepEqual(
      byTitle('Phone bank').map((o: { start: string; change: string }) => [o.start, o.change]),
      [
        ['2016-12-07T18:00:00-05:00', 'cancelled'],
        ['2016-12-14T18:00:00-05:00', null],
        ['2016-12-21T18:00:00-05:00', null],
      ],
    );
    const readable = await e.cli(['select', '--as-of', '2016-12-05'], WEEK_TWO_NOW);
    assert.match(readable.out, /\nSince the 2016-11-28 issue:\n {2}Changed: Solar webinar, Wed, Dec 7, 3:00 PM EST; was Tue, Dec 6, 2:00 PM EST\n {2}Cancelled: Phone bank, Wed, Dec 7, 6:00 PM EST\n {2}New: Town hall, Thu, Dec 8, 7:00 PM EST(\n|$)/);
    const since = JSON.parse((await e.cli(['select', '--json', '--as-of', '2016-12-05', '--since', '2016-11-28'], WEEK_TWO_NOW)).out);
    assert.deepEqual(since.occurrences, next.occurrences);

    // The previews of the next issue, in each reader's zone.
    const preview = async (who: string) => {
      const r = await e.cli(['preview', '--as-of', '2016-12-05', '--subscriber', who, '--out', `out-${who}`], WEEK_TWO_NOW);
      assert.equal(r.code, 0, r.err);
      return { text: readFileSync(join(e.dir, `out-${who}`, 'digest.txt'), 'utf8'), html: readFileSync(join(e.dir, `out-${who}`, 'digest.html'), 'utf8') };
    };
    const ny = await preview('ny@example.org');
    assert.match(ny.text, /Changed: was Tue, Dec 6, 2:00 PM EST/);
    assert.match(ny.text, /Town hall\n.* · New\n/);
    assert.match(ny.text, /- Cancelled: Phone bank — Wed, Dec 7, 6:00 PM EST/);
    assert.match(ny.html, /<strong style="color:#9a6700">Changed:<\/strong> was Tue, Dec 6, 2:00 PM EST/);
    assert.match(ny.html, /<s>Phone bank · Wed, Dec 7, 6:00 PM EST<\/s>/);
    assert.match(ny.html, /<strong style="color:#1a7f37">New<\/strong>/);
    const berlin = await preview('berlin@example.org');
    assert.match(berlin.text, /Changed: was Tue, Dec 6, 8:00 PM GMT\+1/);
    assert.match(berlin.text, /- Cancelled: Phone bank — Thu, Dec 8, 12:00 AM GMT\+1/);
    assert.match(berlin.html, /<s>Phone bank · Thu, Dec 8, 12:00 AM GMT\+1<\/s>/);
    const late = await preview('late@example.org');
    assert.doesNotMatch(late.text, /Changed:|Cancelled:/);
    assert.match(late.text, /Town hall\n.* · New\n/);
    const webinars = await preview('webinars@example.org');
    assert.match(webinars.text, /Changed: was Tue, Dec 6, 2:00 PM EST/);
    assert.doesNotMatch(webinars.text, /Cancelled:|Town hall/, 'a webinar reader sees no action');

    // The issue itself, as received: badges by variant (zone × kinds × got the previous issue).
    sink.received.length = 0;
    const two = await e.cli(['send', '--as-of', '2016-12-05', '--overlap'], WEEK_TWO_NOW);
    assert.equal(two.code, 0, two.err);
    assert.match(two.out, /sent 5, skipped 0, failed 0, deferred 0/);
    const got = new Map(await Promise.all(sink.received.map(async (m) => [m.to[0], await simpleParser(m.raw)] as const)));
    assert.match(got.get('berlin@example.org')!.text!, /Changed: was Tue, Dec 6, 8:00 PM GMT\+1/);
    assert.match(got.get('ny@example.org')!.html as string, /<s>Phone bank · Wed, Dec 7, 6:00 PM EST<\/s>/);
    assert.doesNotMatch(got.get('late@example.org')!.text!, /Changed:|Cancelled:/);
    // Week two's snapshot keeps its badges and the cancelled occurrence it announced.
    const two2 = (await store.issues.find('event-digest', '2016-12-05'))!;
    const snap2 = (await store.snapshots.get(two2.id))!;
    assert.equal(snap2.comparedWith, '2016-11-28');
    assert.deepEqual(snap2.items.filter((i) => i.change).map((i) => [i.key, i.change]), [
      ['solar-webinar|', 'changed'],
      ['phone-bank|2016-12-07T18:00:00', 'cancelled'],
      ['town-hall|', 'new'],
    ]);
    await store.close();
  } finally {
    await sink.close();
  }
});
