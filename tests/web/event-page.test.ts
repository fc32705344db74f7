// The public event page ("More →" in the digest) and the short add-to-calendar links: 302s to Google's and
// Outlook's templates, which carry the address or the join link and the description's first lines.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { webEnv, type WebEnv } from '../helpers/web-env.ts';

const LONG = 'Join organizers from across the region to plan the next steps of the campaign. '.repeat(6).trim();
const EVENTS = `calendar: { name: Test, timezone: America/New_York }
events:
  - id: march
    title: March for transit
    kind: action
    start: 2016-12-03T14:00
    end: 2016-12-03T16:00
    timezone: America/Chicago
    organizer: Riders Alliance
    status: tentative
    location: { venue: Union Hall, address: 880 W Lake St, city: Chicago, region: IL }
    description: "${LONG}"
    links:
      - { label: RSVP, url: "https://www.mobilize.us/riders/event/1/" }
      - { label: Share, url: "https://actionnetwork.org/share/1" }
  - id: bank
    title: Phone bank
    kind: action
    start: 2016-11-29T18:00
    end: 2016-11-29T20:00
    location: https://zoom.us/j/8001
    description: Call voters.
`;

describe('event page', () => {
  let w: WebEnv;
  before(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ed-events-')), 'events.yaml');
    writeFileSync(file, EVENTS);
    w = await webEnv({ events: file });
  });
  after(() => w.close());

  it('/events/ID shows the whole description, the date in bold, the address with its map, Hosted by, the links and calendar buttons', async () => {
    const res = await w.req('/events/march');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.ok(page.includes(LONG), 'the full description');
    assert.match(page, /Action · <strong class="state">Tentative<\/strong>/);
    assert.match(page, /<h1 dir="auto">March for transit<\/h1>/);
    assert.match(page, /<strong>Sat, Dec 3 · 2:00 – 4:00 PM CST<\/strong>/);
    assert.match(page, /Union Hall, 880 W Lake St, Chicago, IL · <a href="https:\/\/www\.openstreetmap\.org\/search\?query=880%20W%20Lake%20St%2C%20Chicago%2C%20IL"/);
    assert.match(page, /Hosted by Riders Alliance/);
    assert.match(page, /<a class="button" href="https:\/\/www\.mobilize\.us\/riders\/event\/1\/"/);
    for (const path of ['/events/march/add/google', '/events/march/add/outlook', '/events/march.ics']) assert.ok(page.includes(`href="http://127.0.0.1:3000${path}"`), path);
    const online = await (await w.req('/events/bank')).text();
    assert.match(online, /Online · Join: <a href="https:\/\/zoom\.us\/j\/8001"/);
    assert.equal((await w.req('/events/nothing-here')).status, 404);
  });

  it('/events/ID/add/google and /outlook redirect (302) to templates with the address or join link and the first lines', async () => {
    const google = await w.req('/events/march/add/google');
    assert.equal(google.status, 302);
    const g = new URL(google.headers.get('location') ?? '');
    assert.equal(g.origin + g.pathname, 'https://calendar.google.com/calendar/render');
    assert.equal(g.searchParams.get('text'), 'March for transit');
    assert.equal(g.searchParams.get('dates'), '20161203T200000Z/20161203T220000Z');
    assert.equal(g.searchParams.get('ctz'), 'America/Chicago');
    assert.equal(g.searchParams.get('location'), 'Union Hall, 880 W Lake St, Chicago, IL');
    const details = g.searchParams.get('details') ?? '';
    assert.ok(details.startsWith('Join organizers from across the region'), details);
    assert.ok(details.length < LONG.length + 200, 'the first lines, not all of it');
    assert.match(details, /RSVP: https:\/\/www\.mobilize\.us\/riders\/event\/1\/\n\nDetails: http:\/\/127\.0\.0\.1:3000\/events\/march$/);
    const outlook = await w.req('/events/bank/add/outlook');
    assert.equal(outlook.status, 302);
    const o = new URL(outlook.headers.get('location') ?? '');
    assert.equal(o.hostname, 'outlook.live.com');
    assert.equal(o.searchParams.get('location'), 'https://zoom.us/j/8001');
    assert.equal(o.searchParams.get('startdt'), '2016-11-29T23:00:00Z');
    assert.match(o.searchParams.get('body') ?? '', /^Call voters\.\n\nJoin: https:\/\/zoom\.us\/j\/8001\n\nDetails: /);
    assert.equal((await w.req('/events/nothing-here/add/google')).status, 404);
    // The .ics beside them still works.
    const ics = await w.req('/events/march.ics');
    assert.equal(ics.status, 200);
    assert.match(await ics.text(), /BEGIN:VEVENT/);
  });
});
