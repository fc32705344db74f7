// Issue 18 end to end: a calendar a real group would have, through `preview` (the path `send` uses), the
// .eml parsed by mailparser: where and how to join, a series once, the hierarchy, headers, an Arabic title,
// Japanese text in the text twin, the signature separator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { run } from '../../src/cli/program.ts';
import { displayWidth } from '../../src/render/wrap.ts';
import { testDb } from '../helpers/engines.ts';

const JAPANESE = '東京の仲間と一緒に、気候変動について話し合いましょう。'.repeat(4);

const CALENDAR = `calendar: { name: Riders, timezone: America/New_York }
events:
  - id: bank
    title: Phone bank for fair wages
    kind: action
    start: 2016-11-29T18:00
    end: 2016-11-29T20:00
    location: Zoom https://zoom.us/j/8001
    organizer: Riders Alliance
  - id: tenants
    title: Tenant union meeting
    kind: action
    start: 2016-11-29T18:30
    end: 2016-11-29T20:00
    timezone: America/Chicago
    status: tentative
    location: { venue: Union Hall, address: 880 W Lake St, city: Chicago, region: IL }
    links:
      - { label: RSVP, url: "https://www.mobilize.us/riders/event/1/" }
      - { label: Share on social media, url: "https://actionnetwork.org/share/1" }
      - { label: Email the organizer, url: "mailto:team@example.org" }
    recurrence: { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=3" }
  - id: arabic
    title: "اجتماع المستأجرين #29"
    kind: action
    start: 2016-12-01T18:00
    end: 2016-12-01T19:00
    location: { venue: قاعة المجتمع, city: Dearborn, region: MI }
    timezone: America/Detroit
  - id: tokyo
    title: 気候変動の勉強会
    kind: webinar
    start: 2016-12-02T19:00
    end: 2016-12-02T20:00
    timezone: Asia/Tokyo
    location: Online
    description: "${JAPANESE}"
`;

async function preview(env: Record<string, string>): Promise<ParsedMail> {
  const dir = mkdtempSync(join(tmpdir(), 'ed-mime-'));
  writeFileSync(join(dir, 'events.yaml'), CALENDAR);
  const err: string[] = [];
  const code = await run(['preview', '--as-of', '2016-11-28', '--out', join(dir, 'out')], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { DIGEST_NOW: '2016-11-27T15:00:00Z', DIGEST_EVENTS: join(dir, 'events.yaml'), DIGEST_BASE_URL: 'https://digest.example.org', DIGEST_DB: testDb(dir), ...env },
    out: () => {},
    err: (s) => err.push(s),
    isTty: false,
  });
  assert.equal(code, 0, err.join('\n'));
  return simpleParser(readFileSync(join(dir, 'out', 'digest.eml')));
}

test('the parsed message: where and how to join, a series once, the date in bold, one button, the glance, the subject', async () => {
  const mail = await preview({ DIGEST_WEEKS: '1' });
  const html = String(mail.html).replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
  const text = mail.text ?? '';
  // Subject: "This week" for one week, the first entries by date; the preheader adds the rest without counts.
  assert.equal(mail.subject, 'Nov 29: Phone bank for fair wages, Tenant union meeting and 2 more (This week)');
  assert.match(html, /display:none[^>]*>Also: [^<]*Where, when and how to join inside\./);
  // Online: "Online (Zoom) · Join: link", the join link is the button, Hosted by.
  assert.match(html, /<p class="m" dir="auto">Online \(Zoom\) · Join: <a href="https:\/\/zoom\.us\/j\/8001">zoom\.us\/j\/8001<\/a><\/p>/);
  assert.match(html, /<td bgcolor="#0b57d0"[^>]*><a href="https:\/\/zoom\.us\/j\/8001" aria-label="Join: Phone bank for fair wages"/);
  assert.match(text, /Online \(Zoom\) · Join: https:\/\/zoom\.us\/j\/8001\nHosted by Riders Alliance/);
  // In person: a series once, in bold, with its address and map; Tentative; RSVP the button, the rest as text.
  assert.match(html, /<p class="d"><strong>Tomorrow, Nov 29 · 6:30 – 8:00 PM CST<\/strong> · <strong[^>]*>Tentative<\/strong><\/p>/);
  assert.match(html, /Union Hall, 880 W Lake St, Chicago, IL · <a href="https:\/\/www\.openstreetmap\.org\/search\?query=880%20W%20Lake%20St%2C%20Chicago%2C%20IL">Map<\/a>/);
  assert.match(html, /<h3 id="e\d" dir="auto"><a href="https:\/\/www\.mobilize\.us\/riders\/event\/1\/">Tenant union meeting<\/a><\/h3>/);
  assert.match(html, /<p class="c" dir="auto"><a href="https:\/\/actionnetwork\.org\/share\/1">Share on social media<\/a> · <a href="mailto:team@example\.org">Email the organizer<\/a><\/p>/);
  // The glance: date order, relative days from the Monday 08:00 send.
  const glance = html.slice(html.indexOf('At a glance'), html.indexOf('</table>', html.indexOf('At a glance')));
  assert.deepEqual([...glance.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]), ['Tomorrow', 'This Thursday', 'This Friday']);
  // Webinar in Tokyo shown in the list zone, its own beside it; text of wide characters wrapped by display width.
  assert.match(text, /This Friday, Dec 2 · 5:00 – 6:00 AM EST \(7:00 PM GMT\+9\)/);
  for (const line of text.split('\n')) assert.ok(displayWidth(line) <= 78 || /^\S+$/.test(line.trim()) || /^[^ ]+: \S+$/.test(line), `too wide (${displayWidth(line)}): ${line}`);
  const japanese = text.slice(text.indexOf('東京の仲間'), text.lastIndexOf('ましょう。') + 5).split('\n');
  assert.ok(japanese.length >= 3, 'the Japanese description is broken between characters');
  assert.equal(japanese.join(''), JAPANESE.slice(0, japanese.join('').length), 'nothing added or lost at the breaks');
  for (const line of japanese.slice(1)) assert.doesNotMatch(line, /^[、。ょっ]/, `no closing mark or small kana starts a line: ${line}`);
  // Arabic: every element with calendar text has dir="auto".
  assert.match(html, /<h3 id="e\d" dir="auto"><a href="[^"]+">اجتماع المستأجرين #29<\/a><\/h3>/);
  assert.match(html, /<a href="#e\d" dir="auto">اجتماع المستأجرين #29<\/a>/);
  // Footer: the calendar, forwarding, and the signature line with its space.
  assert.ok(html.includes('href="https://digest.example.org/calendar.ics"'));
  assert.ok(html.includes('href="https://digest.example.org/subscribe"'));
  assert.match(text, /\n-- \nSubscribe to the calendar: https:\/\/digest\.example\.org\/calendar\.ics\n/);
  // Headers.
  const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');
  assert.equal(header('list-archive'), '<https://digest.example.org/archive>');
  assert.equal(header('list-subscribe'), '<https://digest.example.org/subscribe>');
  assert.equal(header('precedence'), 'bulk');
});

test('three weeks: the weekly meeting is one entry with its dates, counted once; the subject gives the dates, never "This week"', async () => {
  const mail = await preview({});
  const html = String(mail.html);
  assert.equal(mail.subject, 'Nov 29: Phone bank for fair wages, Tenant union meeting and 2 more (Nov 28 – Dec 18)');
  assert.equal(html.split('>Tenant union meeting</a></h3>').length - 1, 1, 'one entry for three meetings');
  assert.match(html, /<p class="d"><strong>Every Tuesday · 6:30 – 8:00 PM CST<\/strong> · <strong[^>]*>Tentative<\/strong><\/p> <p class="m">Nov 29, Dec 6, 13<\/p>/);
  assert.match(mail.text ?? '', /Tenant union meeting\nEvery Tuesday · 6:30 – 8:00 PM CST · Tentative\nNov 29, Dec 6, 13\n/);
});
