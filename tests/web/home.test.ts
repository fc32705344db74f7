// The home page through the app value: the coming weeks as the archive's reader sees them, and the subscribe form.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { selectedZones, tickedKinds, webEnv, type WebEnv } from '../helpers/web-env.ts';

describe('home page', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv({ now: '2016-11-25T15:00:00Z' })));
  after(() => w.close());

  it('lists the events of the next `weeks` weeks by kind, in the list zone, with the subscribe form beside them', async () => {
    const res = await w.req('/');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /<h2 id="coming-up">Coming up: Nov 25 – Dec 15, 2016<\/h2>/);
    const order = [...page.matchAll(/<section class="kind" data-kind="([^"]+)"><h2>([^<]+)<\/h2>/g)].map((m) => `${m[1]}:${m[2]}`);
    assert.deepEqual(order, ['action:Actions', 'webinar:Webinars', 'conference:Conferences']);
    assert.match(page, /<h3 dir="auto"><a href="http:\/\/127\.0\.0\.1:3000\/events\/nolameduck-uprising-2016">#NoLameDuck Uprising: Stop the TPP<\/a><\/h3>\s*<p class="when">Ongoing through/);
    assert.match(page, /Washington, DC · <a href="https:\/\/www\.openstreetmap\.org\/search\?query=Washington%2C%20DC" rel="noopener">Map<\/a>/);
    // An online event in the list's zone, as the archive shows it to its default reader.
    assert.match(page, />RE-volv Webinar: Solar in Your Community Challenge<\/a><\/h3>\s*<p class="when">Tue, Dec 6 · 2:00 – 3:00 PM EST \(11:00 AM PST\)/);
    assert.match(page, /<a href="http:\/\/127\.0\.0\.1:3000\/events\/[^"]+\.ics">Add to calendar<\/a>/);
    assert.match(page, /<h2>Save the date<\/h2><ul><li>[^]*Future of Left and Independent Politics Network/);
    assert.match(page, /<form method="post" action="\/subscribe"/);
    assert.match(page, /data-detect-zone/);
    assert.deepEqual(selectedZones(page), ['America/New_York']);
    assert.deepEqual(tickedKinds(page), ['action', 'webinar', 'conference']);
  });

  it('follows the clock and says when nothing is scheduled', async () => {
    w.clock.set('2030-01-07T12:00:00Z');
    try {
      const page = await (await w.req('/')).text();
      assert.match(page, /Coming up: Jan 7 – 27, 2030/);
      assert.match(page, /Nothing is scheduled from Jan 7 – 27, 2030/);
      assert.match(page, /<form method="post" action="\/subscribe"/);
    } finally {
      w.clock.set('2016-11-25T15:00:00Z');
    }
  });

  it('a calendar with errors: the form stays, the events give way to a line', async () => {
    writeFileSync(join(w.dir, 'events.yaml'), 'events:\n  - title: No start\n');
    const res = await w.req('/');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /The event calendar cannot be shown just now/);
    assert.match(page, /<form method="post" action="\/subscribe"/);
  });
});

describe('home page with hostile calendar text', () => {
  let w: WebEnv;
  before(async () => {
    w = await webEnv({ now: '2016-11-25T15:00:00Z' });
    writeFileSync(
      join(w.dir, 'events.yaml'),
      [
        'events:',
        '  - title: "<script>alert(1)</script> {{reader.name}}"',
        '    kind: action',
        '    start: 2016-11-29T18:00',
        '    location: {online: true}',
        '    description: "**Bold** [a link](https://example.org/x) <img src=x onerror=alert(1)> [bad](javascript:alert(1))"',
        '    links: [{label: "Sign <up>", url: "https://example.org/signup"}]',
      ].join('\n'),
    );
  });
  after(() => w.close());

  it('shows every string as text and drops links that are not http(s) or mailto', async () => {
    const page = await (await w.req('/')).text();
    assert.match(page, /<h3 dir="auto"><a href="[^"]+">&lt;script&gt;alert\(1\)&lt;\/script&gt; \{\{reader\.name\}\}<\/a><\/h3>/);
    assert.match(page, /<strong>Bold<\/strong> <a href="https:\/\/example\.org\/x" rel="noopener">a link<\/a> &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(page, /href="javascript:/);
    assert.match(page, /\[bad\]\(javascript:alert\(1\)\)/, "the refused link stays as text");
    assert.match(page, /<a href="https:\/\/example\.org\/signup" aria-label="[^"]+" rel="noopener">Sign &lt;up&gt;<\/a>/);
    assert.doesNotMatch(page, /\uE000/, 'no template sentinel leaks into the page');
  });
});
