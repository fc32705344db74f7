// Hostile calendar text cannot inject HTML, scripts, styles, MJML or Handlebars; only http(s)/mailto links survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { buildMessage, listIdFor } from '../../src/mail/message.ts';
import { event } from '../helpers/events.ts';
import { READER, render, visibleText } from '../helpers/render.ts';

const HOSTILE_TITLE = '<script>alert("t")</script></mj-text><mj-raw><b>raw</b></mj-raw> {{reader.unsubscribeUrl}} {{#each x}}';
// Longer than the digest's 200-character cut: what is shown is the start, the rest is on the event page.
const HOSTILE_DESCRIPTION = [
  '{{{reader.name}}} {{> footer}} </mj-text></mj-column><mj-text>escaped',
  '',
  'Hi <img src=x onerror=alert(1)> <style>body{display:none}</style> <iframe src=//e.example>',
  '',
  '[click](javascript:alert(1)) [d](data:text/html,x) [ok](https://good.example/ok)',
].join('\n');
/** The same text as an organizer's note, which is shown whole. */
const HOSTILE_NOTE = HOSTILE_DESCRIPTION;

const hostile = () => [
  event({
    id: 'hostile',
    kind: 'action',
    title: HOSTILE_TITLE,
    start: '2016-12-01T18:00',
    end: '2016-12-01T19:00',
    description: HOSTILE_DESCRIPTION,
    location: { venue: '<b onmouseover="x()">Hall</b>', address: '<i>1 Main</i> {{x}}', city: '"><script>x</script>' },
    organizer: '<u>Org</u> {{reader.name}}',
    links: [
      { label: '"><svg onload=alert(1)>', url: 'https://good.example/register' },
      { label: 'Bad scheme', url: 'javascript:alert(3)' },
      { label: 'Data', url: 'data:text/html;base64,PHNjcmlwdD4=' },
      { label: 'Mail us', url: 'mailto:team@good.example' },
    ],
  }),
  event({
    id: 'hostile-online',
    kind: 'webinar',
    title: '<img src=x onerror=alert(2)> online',
    start: '2016-12-02T18:00',
    end: '2016-12-02T19:00',
    location: { online: true, venue: '<script>zoom</script>', url: 'javascript:alert(4)' },
  }),
];

test('nothing from an event or a note becomes markup: no script, no handlers, no styles, no MJML, no iframes', async () => {
  const { html } = await render(hostile(), { note: HOSTILE_NOTE });
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<(iframe|svg|img)\b/i);
  assert.doesNotMatch(html, /<[biu]\b/i);
  assert.doesNotMatch(html, /\son(error|load|mouseover)=/i);
  assert.doesNotMatch(html, /<mj-/i);
  assert.doesNotMatch(html, /<style[^>]*>[^<]*display:none/);
  // The text itself is shown, escaped, exactly as written.
  const seen = visibleText(html);
  assert.ok(seen.includes('<script>alert("t")</script></mj-text><mj-raw><b>raw</b></mj-raw>'), seen);
  assert.ok(seen.includes('<img src=x onerror=alert(1)>'));
  assert.ok(seen.includes('<b onmouseover="x()">Hall</b>, <i>1 Main</i> {{x}}'));
  assert.ok(seen.includes('Hosted by <u>Org</u> {{reader.name}}'));
  assert.ok(seen.includes('<img src=x onerror=alert(2)> online'));
  assert.ok(seen.includes('Online (<script>zoom</script>)'));
});

test('only http, https and mailto links reach the mail; the rest are dropped', async () => {
  const { html, text } = await render(hostile(), { note: HOSTILE_NOTE });
  // "At a glance" links to anchors of the template's own making (#e0); every other link goes out.
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&')).filter((h) => !/^#e\d+$/.test(h));
  assert.ok(hrefs.length > 5);
  for (const h of hrefs) assert.match(h, /^(https?:\/\/|mailto:)/, h);
  assert.ok(hrefs.includes('https://good.example/register'));
  assert.ok(hrefs.includes('https://good.example/ok'));
  assert.ok(hrefs.includes('mailto:team@good.example'));
  assert.doesNotMatch(html + text, /javascript:alert\((3|4)\)|data:text\/html;base64/);
  // Markdown links with bad schemes stay as text, not links (here in the note, which is shown whole).
  assert.ok(visibleText(html).includes('[click](javascript:alert(1))'));
  // A join link with a bad scheme is no link: the online event has no Join line and no button.
  assert.doesNotMatch(visibleText(html), /Join:/);
});

test('Handlebars syntax in calendar text and notes stays text through both stages', async () => {
  const { html, text } = await render(hostile(), { note: HOSTILE_NOTE });
  const seen = visibleText(html);
  assert.ok(seen.includes('{{reader.unsubscribeUrl}} {{#each x}}'), 'title braces shown literally');
  assert.ok(seen.includes('{{{reader.name}}} {{> footer}}'));
  assert.ok(text.includes('{{reader.unsubscribeUrl}} {{#each x}}'));
  // The reader's real unsubscribe URL appears only where the template puts it: once in HTML, once in text.
  assert.equal(html.split(READER.unsubscribeUrl).length - 1, 1);
  assert.equal(text.split(READER.unsubscribeUrl).length - 1, 1);
});

test('no CR or LF from data reaches a header: subject, preheader, names', async () => {
  const { compiled } = await render([{ ...hostile()[0], title: 'Line one\r\nBcc: victim@example.org' }], { settings: { listName: 'List\r\nX-Injected: yes', subject: '{{listName}}: {{summary}}\nBcc: a@example.org' } });
  assert.doesNotMatch(compiled.subject, /[\r\n]/);
  assert.doesNotMatch(compiled.preheader, /[\r\n]/);
  const eml = await buildMessage({
    from: 'Digest <digest@example.org>',
    to: { name: 'Eve\r\nBcc: victim@example.org', address: 'eve@example.org' },
    subject: compiled.subject,
    text: compiled.text(READER),
    html: compiled.html(READER),
    messageId: 'm1@example.org',
    date: new Date('2016-11-28T13:00:00Z'),
    listId: listIdFor('List\r\nX-Injected: yes', 'Digest <digest@example.org>'),
    unsubscribeUrl: READER.unsubscribeUrl,
  });
  const parsed = await simpleParser(eml);
  assert.equal(parsed.headers.get('bcc'), undefined);
  assert.equal(parsed.headers.get('x-injected'), undefined);
  assert.equal(parsed.bcc, undefined);
  assert.deepEqual(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : [], ['eve@example.org']);
  assert.match(String(parsed.subject), /^List X-Injected: yes: 1 action Bcc: a@example\.org$/);
});
