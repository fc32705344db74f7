// A private place reaches only mail to subscribers (and the organizers): every public page and feed, fetched from
// a real server on 127.0.0.1, and `export-ics` without --private show the city and region and say where the rest is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { run } from '../../src/cli/program.ts';
import { loadIcsText } from '../../src/events/ics/load.ts';
import { exportIcs } from '../../src/events/ics/export.ts';
import { publicCalendar, WITHHELD_PLACE } from '../../src/events/private-details.ts';
import { listen } from '../../src/web/serve.ts';
import { ROOT, webEnv } from '../helpers/web-env.ts';
import { engineEnv, testDb } from '../helpers/engines.ts';

const STREET = '1208 Quarry Lane';
const VENUE = 'Back room of the print shop';
const SHEET = 'https://sheet.example.org/action-signup';
const PRIVATE_EVENT = `
  - id: quarry-blockade
    title: Quarry blockade training
    kind: action
    start: 2016-11-30T18:00:00
    end: 2016-11-30T20:00:00
    location: {venue: ${VENUE}, address: ${STREET}, city: Springfield, region: IL, private: true}
    links:
      - {label: Public info, url: https://info.example.org/quarry}
      - {label: Sign-up sheet, url: "${SHEET}", private: true}
    description: Bring water.
`;
const NOW = '2016-11-27T13:00:00Z';

async function cli(dir: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { cwd: dir, env: { DIGEST_NOW: NOW, ...engineEnv(dir) }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const secrets = (text: string) => [STREET, VENUE, SHEET, 'Quarry+Lane', 'Quarry%20Lane'].filter((s) => text.includes(s));

test('a private place: in the mail to subscribers, nowhere on the public pages, feeds or the export without --private', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-private-'));
  const events = join(dir, 'events.yaml');
  copyFileSync(join(ROOT, 'data/events.yaml'), events);
  appendFileSync(events, PRIVATE_EVENT);
  writeFileSync(join(dir, 'event-digest.config.yaml'), `events: events.yaml\nbaseUrl: https://digest.example.org\npostalAddress: PO Box 1, Springfield\n`);
  assert.equal((await cli(dir, ['subscribers', 'add', 'reader@example.org'])).code, 0);
  const sent = await cli(dir, ['send', '--as-of', '2016-11-28']);
  assert.equal(sent.code, 0, sent.err);
  const folder = join(dir, 'var/outbox/event-digest-2016-11-28');
  const mail = readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('.eml'))!), 'utf8');
  assert.ok(mail.includes(STREET) && mail.includes(SHEET), 'the subscriber gets the exact place and the private link');

  const exported = await cli(dir, ['export-ics']);
  assert.deepEqual(secrets(exported.out), [], 'export-ics without --private');
  assert.ok(exported.out.replace(/\r\n[ \t]/g, '').includes(`LOCATION:Springfield\\, IL · ${WITHHELD_PLACE}`));
  const whole = await cli(dir, ['export-ics', '--private']);
  whole.out = whole.out.replace(/\r\n[ \t]/g, '');
  assert.ok(whole.out.includes(STREET) && whole.out.includes('CLASS:PRIVATE'), 'export-ics --private keeps it, marked');

  const w = await webEnv({ events, now: NOW, config: { db: testDb(dir), baseUrl: 'https://digest.example.org' } });
  const server = await listen(w.app, '127.0.0.1', 0);
  try {
    const paths = ['/', '/archive', '/archive/2016-11-28', '/calendar.ics', '/calendar.ics?kind=action', '/events/quarry-blockade', '/events/quarry-blockade.ics', '/events/quarry-blockade/add/google', '/events/quarry-blockade/add/outlook', '/subscribe'];
    const said: string[] = [];
    for (const p of paths) {
      const res = await fetch(server.url + p, { redirect: 'manual', headers: { host: 'digest.example.org' } });
      assert.ok(res.status < 400, `${p}: ${res.status}`);
      const body = `${res.headers.get('location') ?? ''}\n${await res.text()}`;
      // Percent-encoded too (the add-to-calendar redirects carry the place in their query).
      const decoded = body.replace(/\+/g, ' ').replace(/(%[0-9A-Fa-f]{2})+/g, (m) => { try { return decodeURIComponent(m); } catch { return m; } });
      assert.deepEqual(secrets(decoded), [], `${p} shows a private detail`);
      assert.deepEqual(secrets(body), [], p);
      if (decoded.replace(/\r\n[ \t]/g, '').includes(WITHHELD_PLACE)) said.push(p);
    }
    assert.deepEqual(said, ['/', '/archive/2016-11-28', '/calendar.ics', '/calendar.ics?kind=action', '/events/quarry-blockade', '/events/quarry-blockade.ics', '/events/quarry-blockade/add/google', '/events/quarry-blockade/add/outlook']);
    // The organizers' preview is the mail: the exact place is there.
    const admin = await (await fetch(`${server.url}/admin?date=2016-11-28`)).text();
    assert.ok(admin.includes(STREET));
  } finally {
    await server.close();
    await w.close();
  }
});

test('ICS CLASS:PRIVATE or CONFIDENTIAL marks the location private; the public calendar keeps no trace of it', () => {
  const ics = (cls: string) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', 'BEGIN:VEVENT', 'UID:meet-1', 'DTSTAMP:20161101T000000Z', 'DTSTART:20161130T230000Z', 'DTEND:20161201T010000Z', 'SUMMARY:Planning', `LOCATION:${VENUE}\\, ${STREET}`, ...(cls ? [`CLASS:${cls}`] : []), 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const opts = { listTimezone: 'America/New_York', kinds: ['action', 'meeting'], defaultKind: 'meeting' };
  for (const cls of ['PRIVATE', 'CONFIDENTIAL', 'confidential']) {
    const loaded = loadIcsText(ics(cls), 'cal.ics', opts);
    assert.equal(loaded.events[0].location?.private, true, cls);
    const pub = publicCalendar({ events: loaded.events, alliedCalendars: [] });
    const out = exportIcs(pub, { now: new Date(NOW) });
    assert.deepEqual(secrets(out), [], cls);
    assert.ok(out.includes(`LOCATION:${WITHHELD_PLACE}`), out);
  }
  const open = loadIcsText(ics('PUBLIC'), 'cal.ics', opts);
  assert.equal(open.events[0].location?.private, undefined);
  const pub = { events: open.events, alliedCalendars: [] };
  assert.equal(publicCalendar(pub), pub, 'nothing private: the same calendar, no copy');
});

test('the archive of a sent issue (its snapshot) keeps a private place private, the old place of a "Changed" badge too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-private-archive-'));
  const events = join(dir, 'events.yaml');
  const NEW_STREET = '77 Foundry Road';
  const withPlace = (street: string) => PRIVATE_EVENT.replace('2016-11-30T18:00:00', '2016-12-07T18:00:00').replace('2016-11-30T20:00:00', '2016-12-07T20:00:00').replace(STREET, street);
  copyFileSync(join(ROOT, 'data/events.yaml'), events);
  const seed = readFileSync(events, 'utf8');
  writeFileSync(events, seed + withPlace(STREET));
  writeFileSync(join(dir, 'event-digest.config.yaml'), `events: events.yaml\nbaseUrl: https://digest.example.org\npostalAddress: PO Box 1, Springfield\n`);
  assert.equal((await cli(dir, ['subscribers', 'add', 'reader@example.org'])).code, 0);
  const first = await cli(dir, ['send', '--as-of', '2016-11-28']);
  assert.equal(first.code, 0, first.err);
  // The meeting point moves to another private place; the next issue says "Changed: was … at <old place>" to subscribers.
  writeFileSync(events, seed + withPlace(NEW_STREET));
  const second = await cli(dir, ['send', '--as-of', '2016-12-05', '--overlap']);
  assert.equal(second.code, 0, second.err);
  const folder = join(dir, 'var/outbox/event-digest-2016-12-05');
  const mail = (await simpleParser(readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('.eml'))!)))).text ?? '';
  assert.ok(mail.includes(NEW_STREET) && mail.includes(STREET), `the subscriber is told the new place and the old one: ${mail}`);

  const w = await webEnv({ events, now: NOW, config: { db: testDb(dir), baseUrl: 'https://digest.example.org' } });
  const server = await listen(w.app, '127.0.0.1', 0);
  try {
    for (const p of ['/archive/2016-11-28', '/archive/2016-12-05']) {
      const page = await (await fetch(server.url + p, { headers: { host: 'digest.example.org' } })).text();
      const i = page.indexOf(STREET);
      assert.deepEqual([STREET, NEW_STREET, VENUE, SHEET].filter((s) => page.includes(s)), [], `${p} shows a private detail ${i >= 0 ? page.slice(i - 300, i + 100) : ''}`);
      assert.ok(page.includes(WITHHELD_PLACE), p);
    }
  } finally {
    await server.close();
    await w.close();
  }
});
