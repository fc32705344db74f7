// What a reader acts on, per entry: the title's link, the date in bold, where or how to join, a short description,
// one button, other links as text; and around them the glance, cues, featured entries, the note, the brand, the cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CalendarEvent } from '../../src/events/model.ts';
import { event } from '../helpers/events.ts';
import { READER, render, visibleText } from '../helpers/render.ts';

const LONG = 'Bring water and a friend. '.repeat(12).trim();

function week(): CalendarEvent[] {
  return [
    event({
      id: 'march',
      title: 'March for transit',
      kind: 'action',
      start: '2016-12-03T11:00',
      end: '2016-12-03T13:00',
      location: { venue: 'City Hall steps', address: '121 N LaSalle St', city: 'Chicago', region: 'IL', country: 'USA' },
      timezone: 'America/Chicago',
      organizer: 'Riders Alliance',
      description: LONG,
      links: [
        { label: 'RSVP', url: 'https://www.mobilize.us/riders/event/1/' },
        { label: 'Share on social media', url: 'https://actionnetwork.org/share/1' },
        { label: 'Email the organizer', url: 'mailto:team@riders.example' },
      ],
    }),
    event({
      id: 'phonebank',
      title: 'Phone bank',
      kind: 'action',
      start: '2016-11-29T18:00',
      end: '2016-11-29T20:00',
      location: { online: true, url: 'https://zoom.us/j/5551234' },
      description: 'Short and sweet.',
      status: 'tentative',
    }),
    event({ id: 'quiet', title: 'Reading group', kind: 'webinar', start: '2016-12-08T19:00', end: '2016-12-08T20:00', location: { online: true } }),
  ];
}

/** The HTML of one entry: from its heading to the next. */
function entryHtml(html: string, title: string): string {
  const start = html.indexOf(`>${title}</a></h3>`);
  assert.ok(start > 0, title);
  const from = html.lastIndexOf('<h3', start);
  // An entry has no <div> of its own: the next one closes the section's text.
  return html.slice(from, Math.min(...[html.indexOf('<h3', start), html.indexOf('</div>', start)].filter((i) => i > 0)));
}

test('in person: the title links to the RSVP, the date in bold, the full address with an OpenStreetMap link, Hosted by', async () => {
  const { html, text } = await render(week());
  const e = entryHtml(html, 'March for transit');
  assert.match(e, /<h3 id="e\d+" dir="auto"><a href="https:\/\/www\.mobilize\.us\/riders\/event\/1\/">March for transit<\/a><\/h3>/);
  assert.match(e, /<p class="d"><strong>This Saturday, Dec 3 · 11:00 AM – 1:00 PM CST<\/strong><\/p>/);
  assert.ok(e.includes('City Hall steps, 121 N LaSalle St, Chicago, IL, USA · <a href="https://www.openstreetmap.org/search?query&#x3D;121%20N%20LaSalle%20St%2C%20Chicago%2C%20IL%2C%20USA">Map</a>'), e);
  assert.doesNotMatch(e, /utm_|maps\.google/);
  assert.ok(visibleText(e).includes('Hosted by Riders Alliance'));
  for (const s of ['This Saturday, Dec 3 · 11:00 AM – 1:00 PM CST', 'City Hall steps, 121 N LaSalle St, Chicago, IL, USA', 'Map:\nhttps://www.openstreetmap.org/search?query=121%20N%20LaSalle%20St%2C%20Chicago%2C%20IL%2C%20USA', 'Hosted by Riders Alliance']) assert.ok(text.includes(s), s);
});

test('one button (a table cell with the colour inline), the other links as text separated by " · "', async () => {
  const e = entryHtml((await render(week())).html, 'March for transit');
  assert.equal(e.match(/<table\b/g)?.length, 1);
  assert.match(e, /<td bgcolor="#0b57d0" style="border-radius:4px;padding:8px 16px"><a href="https:\/\/www\.mobilize\.us\/riders\/event\/1\/" aria-label="RSVP: March for transit" dir="auto" style="color:#fff;font-weight:700;text-decoration:none">RSVP<\/a><\/td>/);
  assert.ok(e.includes('<a href="https://actionnetwork.org/share/1">Share on social media</a> · <a href="mailto:team@riders.example">Email the organizer</a>'), e);
});

test('a cut description ends with "More →" to the event page; a short one is whole', async () => {
  const { html, text } = await render(week());
  const e = entryHtml(html, 'March for transit');
  const shown = /<p dir="auto">([^<]*)…/.exec(e)?.[1] ?? '';
  assert.ok(shown.length > 150 && shown.length <= 200, `${shown.length} characters shown`);
  assert.ok(e.includes('<a href="https://digest.example.org/events/march">More →</a>'));
  assert.ok(text.includes('More: https://digest.example.org/events/march'));
  assert.doesNotMatch(entryHtml(html, 'Phone bank'), /More →/);
});

test('online: "Online · Join: link", the join link is the button when there is no other, Tentative said', async () => {
  const { html, text } = await render(week());
  const e = entryHtml(html, 'Phone bank');
  assert.ok(e.includes('<a href="https://zoom.us/j/5551234">Phone bank</a></h3>'), 'the title links to the join link');
  assert.ok(e.includes('Online · Join: <a href="https://zoom.us/j/5551234">zoom.us/j/5551234</a>'), e);
  assert.match(e, /aria-label="Join: Phone bank"[^>]*>Join<\/a>/);
  assert.ok(visibleText(e).includes('Tomorrow, Nov 29 · 6:00 – 8:00 PM EST · Tentative'), visibleText(e));
  assert.ok(text.includes('Online · Join: https://zoom.us/j/5551234'));
  assert.ok(text.includes('Tomorrow, Nov 29 · 6:00 – 8:00 PM EST · Tentative'));
  // Nothing to link to: the title goes to the event page, and there is no button.
  const q = entryHtml(html, 'Reading group');
  assert.ok(q.includes('<a href="https://digest.example.org/events/quiet">Reading group</a>'));
  assert.doesNotMatch(q, /<table/);
});

test('cues count from the send date in the reader zone: an 8:00 New York send is Tuesday in Sydney', async () => {
  const ny = visibleText((await render(week())).html);
  assert.ok(ny.includes('Tomorrow, Nov 29 · 6:00 – 8:00 PM EST'));
  assert.ok(ny.includes('This Saturday, Dec 3'));
  assert.ok(ny.includes('Thu, Dec 8 · 7:00 – 8:00 PM EST'), 'no cue past the first week');
  const sydney = visibleText((await render(week(), { zone: 'Australia/Sydney' })).html);
  // 6:00 PM in New York on Nov 29 is 10:00 AM on Nov 30 in Sydney, where the mail arrived on Tuesday the 29th.
  assert.ok(sydney.includes('Tomorrow, Nov 30 · 10:00 AM – 12:00 PM AEDT (Tue, Nov 29, 6:00 PM EST)'), sydney);
});

test('At a glance: every entry in date order, one row a day, linking to the entry below', async () => {
  const { html } = await render(week());
  const glance = html.slice(html.indexOf('At a glance'), html.indexOf('</table>', html.indexOf('At a glance')));
  const rows = [...glance.matchAll(/<strong>([^<]+)<\/strong><\/td><td>(.*?)<\/td>/g)].map((m) => [m[1], [...m[2].matchAll(/>([^<]+)<\/a>/g)].map((x) => x[1])]);
  assert.deepEqual(rows, [['Tomorrow', ['Phone bank']], ['This Saturday', ['March for transit']], ['Thu, Dec 8', ['Reading group']]]);
  for (const [, anchor] of glance.matchAll(/href="#(e\d+)"/g)) assert.match(html, new RegExp(`<h3 id="${anchor}"`), anchor);
});

test('a featured event comes first, larger, and leads the subject', async () => {
  const events = week().map((e) => (e.id === 'quiet' ? { ...e, featured: true } : e));
  const { compiled, html } = await render(events);
  const seen = visibleText(html);
  assert.ok(seen.indexOf('Featured') < seen.indexOf('Actions'));
  assert.ok(seen.indexOf('Reading group', seen.indexOf('Featured')) < seen.indexOf('Actions'));
  assert.match(html, /<h3 id="e\d+" dir="auto" style="font-size:22px"><a href="[^"]+">Reading group<\/a>/);
  assert.ok(!seen.slice(seen.indexOf('Webinars') >= 0 ? seen.indexOf('Webinars') : seen.length).includes('Reading group'), 'not listed twice');
  assert.match(compiled.subject, /^Dec 8: Reading group, /);
});

test("the organizer's note opens the issue; the brand colour marks buttons and rules; the logo has its alt text", async () => {
  const note = 'No meetings on **Dec 24**. Happy holidays!\n\n- Read the [report](https://example.org/report)';
  const { html, text } = await render(week(), { note, settings: { brand: { color: '#8a1538', logo: 'https://example.org/logo.png', logoAlt: 'Riders Alliance' } } });
  const seen = visibleText(html);
  assert.ok(seen.indexOf('No meetings on Dec 24. Happy holidays!') < seen.indexOf('At a glance'));
  assert.ok(html.includes('<strong>Dec 24</strong>'));
  assert.ok(html.includes('<a href="https://example.org/report">report</a>'));
  assert.ok(html.includes('<img src="https://example.org/logo.png" alt="Riders Alliance"'));
  assert.ok(html.includes('bgcolor="#8a1538"'));
  assert.match(html, /<h2 id="s-action" style="border-top:3px solid #8a1538/);
  assert.doesNotMatch(html, /#0b57d0"/, 'no default colour left on buttons or rules');
  assert.ok(text.indexOf('No meetings on Dec 24. Happy holidays!') < text.indexOf('AT A GLANCE'));
  assert.ok(text.includes('- Read the report (https://example.org/report)'));
});

test('maxPerSection: past it, "N more actions in the full list" links to the archive; the archive shows all', async () => {
  const many = Array.from({ length: 5 }, (_, i) => event({ id: `a${i}`, title: `Action ${i}`, kind: 'action', start: `2016-12-0${i + 1}T12:00`, end: `2016-12-0${i + 1}T13:00`, location: { city: 'Chicago' } }));
  const { html, text, compiled } = await render(many, { settings: { maxPerSection: 2 } });
  assert.equal(html.match(/<h3\b/g)?.length, 2);
  assert.ok(html.includes('<a href="https://digest.example.org/archive/2016-11-28#s-action"><strong>3 more actions in the full list →</strong></a>'), html);
  // The wrap puts the long URL on a line of its own.
  assert.match(text, /\n3 more actions in the full list:\s+https:\/\/digest\.example\.org\/archive\/2016-11-28#s-action\n/);
  assert.equal(compiled.view.glance.flatMap((r) => r.items).length, 2, 'the glance lists what is shown');
  assert.match(compiled.subject, /and 3 more/);
  const full = await render(many, { settings: { maxPerSection: 2 }, full: true });
  assert.equal(full.html.match(/<h3\b/g)?.length, 5);
  assert.doesNotMatch(full.html, /in the full list/);
});

test('the subject says "This week" only for a one-week window, and names the first entries', async () => {
  assert.equal((await render(week(), { weeks: 1 })).compiled.subject, 'Nov 29: Phone bank, Dec 3: March for transit (This week)');
  assert.equal((await render(week())).compiled.subject, 'Nov 29: Phone bank, Dec 3: March for transit and 1 more (Nov 28 – Dec 18)');
  const { compiled } = await render(week());
  assert.equal(compiled.preheader, 'Also: Reading group. Where, when and how to join inside.');
  assert.doesNotMatch(compiled.preheader, /\d+ (action|webinar)/, 'no counts');
});

test('every element that carries calendar text has dir="auto"; the reader fields are untouched by it', async () => {
  const arabic = event({ id: 'ar', title: 'اجتماع المستأجرين #29', kind: 'action', start: '2016-12-01T18:00', end: '2016-12-01T19:00', location: { venue: 'قاعة المجتمع', city: 'Dearborn' }, description: 'نلتقي في القاعة' });
  const { html } = await render([arabic]);
  assert.match(html, /<h3 id="e0" dir="auto"><a [^>]+>اجتماع المستأجرين #29<\/a><\/h3>/);
  assert.match(html, /<p class="m" dir="auto">قاعة المجتمع, Dearborn/);
  assert.match(html, /<p dir="auto">نلتقي في القاعة<\/p>/);
  assert.match(html, /<a href="#e0" dir="auto">اجتماع المستأجرين #29<\/a>/);
  assert.ok(html.includes(`href="${READER.unsubscribeUrl}"`));
});
