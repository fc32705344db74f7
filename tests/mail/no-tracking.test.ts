// No tracking, held on what really went out: two readers' messages from the loopback smtp-server, parsed
// (mailparser), every link and image of the HTML and the text extracted. No open pixel, no rewritten links,
// nothing that tells readers apart but the signed unsubscribe and preferences tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { ROOT, addSubscribers, sendEnv } from '../helpers/send-env.ts';
import { startSink } from '../helpers/smtp-sink.ts';

const BASE = 'https://digest.example.org';
/** Every path of ours a digest may link to; a redirect or click counter would be something else. */
const OUR_PATHS = [/^\/events\/[\w.-]+(\.ics|\/add\/(google|outlook))?$/, /^\/archive\/\d{4}-\d{2}-\d{2}$/, /^\/calendar\.ics$/, /^\/subscribe$/, /^\/(unsubscribe|preferences)\/[\w.-]+$/];
const TOKEN_PATH = /^\/(unsubscribe|preferences)\/[\w.-]+$/;

function linksOf(m: ParsedMail): { links: string[]; images: string[] } {
  const html = typeof m.html === 'string' ? m.html : '';
  const attr = (re: RegExp) => [...html.matchAll(re)].map((x) => x[1].replace(/&amp;/g, '&'));
  const links = [...attr(/<a\b[^>]*\bhref="([^"]*)"/gi), ...attr(/<area\b[^>]*\bhref="([^"]*)"/gi), ...[...(m.text ?? '').matchAll(/https?:\/\/[^\s<>"\])]+/g)].map((x) => x[0])];
  const images = [...attr(/<img\b[^>]*\bsrc="([^"]*)"/gi), ...attr(/url\(['"]?([^'")]+)/gi), ...attr(/\bbackground="([^"]*)"/gi)];
  return { links, images };
}

test('a sent digest has no open pixel, no rewritten links and no per-reader id but the signed tokens', async () => {
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url, extraConfig: 'timezone: America/New_York\n' });
    // The seed calendar and one event whose links a tracker would rewrite.
    const events = join(e.dir, 'events.yaml');
    copyFileSync(join(ROOT, 'data/events.yaml'), events);
    appendFileSync(events, `
  - id: tracked-or-not
    title: Teach-in
    kind: action
    start: 2016-11-29T18:00:00
    location: {venue: Hall, city: Springfield}
    links:
      - {label: Register, url: "https://tickets.example.net/e/teach-in?ref=digest"}
      - {label: Reading list, url: "https://library.example.net/list"}
`);
    writeFileSync(join(e.dir, 'event-digest.config.yaml'), `events: events.yaml\nbaseUrl: ${BASE}\npostalAddress: PO Box 1, Springfield\n`);
    const store = await e.store();
    await addSubscribers(store, [{ email: 'ann@example.org', name: 'Ann' }, { email: 'bo@example.org', name: 'Bo' }]);
    await store.close();
    const sent = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(sent.code, 0, sent.err);
    assert.equal(sink.received.length, 2);
    const [a, b] = await Promise.all(sink.received.sort((x, y) => x.to[0].localeCompare(y.to[0])).map((r) => simpleParser(r.raw)));
    const la = linksOf(a);
    const lb = linksOf(b);
    assert.ok(la.links.length > 10, `links found: ${la.links.length}`);

    // Event links go straight to their targets, exactly as the calendar has them.
    assert.ok(la.links.includes('https://tickets.example.net/e/teach-in?ref=digest'));
    assert.ok(la.links.includes('https://library.example.net/list'));
    for (const url of [...la.links, ...lb.links]) {
      if (/^#[\w-]+$/.test(url)) continue; // "At a glance" to the entry, inside the message
      const u = new URL(url.startsWith('mailto:') ? 'mailto:x@y' : url);
      if (u.protocol === 'mailto:') continue;
      if (u.origin === BASE) assert.ok(OUR_PATHS.some((p) => p.test(u.pathname)) && u.search === '', `a link of ours that is not a page: ${url}`);
      // No utm_, no click ids.
      assert.doesNotMatch(u.search, /utm_|[?&](mc_eid|mc_cid|fbclid|gclid|uid|sid|rid|subscriber|email|e)=/i, url);
    }
    // What differs between the two readers is their own unsubscribe and preferences links, nothing else.
    const diff = (x: string[], y: string[]) => [...new Set(x)].filter((u) => !y.includes(u));
    const own = diff(la.links, lb.links);
    assert.ok(own.length >= 2 && own.every((u) => u.startsWith(BASE) && TOKEN_PATH.test(new URL(u).pathname)), `per-reader links: ${own.join(', ')}`);
    assert.deepEqual(diff(lb.links, la.links).map((u) => new URL(u).pathname.split('/')[1]).sort(), own.map((u) => new URL(u).pathname.split('/')[1]).sort());
    // No address in any URL.
    for (const url of [...la.links, ...la.images]) assert.ok(!/ann(@|%40)example/i.test(url) && !url.includes(Buffer.from('ann@example.org').toString('base64url')), url);

    // No open pixel: the images are the same for every reader, none is ours, none is a 1×1.
    assert.deepEqual(la.images, lb.images);
    for (const src of la.images) assert.ok(!src.startsWith(BASE), `an image served by us: ${src}`);
    assert.doesNotMatch(typeof a.html === 'string' ? a.html : '', /<img\b[^>]*\b(width|height)="1"/i);
    // The one-click header carries the signed token, as the body does.
    const header = a.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const target = /<([^>]+)>/.exec(header)?.[1] ?? '';
    assert.ok(TOKEN_PATH.test(new URL(target).pathname) && la.links.includes(target), header);
  } finally {
    await sink.close();
  }
});
