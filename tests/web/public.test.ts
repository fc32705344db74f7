// Public pages through the app value: the archive, the calendars, security headers, not-found and error pages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { webEnv, type WebEnv } from '../helpers/web-env.ts';
import { sendSeedIssue } from './unsubscribe.test.ts';

function vevents(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents('vevent');
}

describe('archive', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  after(() => w.close());

  it('is empty before the first issue, and has no page for an unsent window', async () => {
    assert.match(await (await w.req('/archive')).text(), /No issue has been sent yet/);
    assert.equal((await w.req('/archive/2016-11-28')).status, 404);
    assert.equal((await w.req('/archive/not-a-date')).status, 404);
  });

  it('lists sent issues and shows each as the default reader would see it: no names, no tokens', async () => {
    await w.store.subscribers.add({ email: 'lou@example.org', name: 'Louisa Unique' }, { source: 'test' });
    await sendSeedIssue(w);
    const list = await (await w.req('/archive')).text();
    assert.match(list, /<a href="\/archive\/2016-11-28">Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more/);
    const res = await w.req('/archive/2016-11-28');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'; style-src 'unsafe-inline'/);
    const page = await res.text();
    assert.match(page, /#NoLameDuck/);
    assert.doesNotMatch(page, /Louisa|lou@example/);
    assert.doesNotMatch(page, /\/unsubscribe\/[A-Za-z0-9_-]+\.|\/preferences\/[A-Za-z0-9_-]+\./, 'no signed link');
    assert.match(page, /href="http:\/\/127\.0\.0\.1:3000\/unsubscribe"/);
    const generic = await w.req('/unsubscribe');
    assert.equal(generic.status, 200);
    assert.match(await generic.text(), /personal unsubscribe link/);
  });
});

describe('calendars', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  after(() => w.close());

  it('/events/ID.ics is the one event, valid iCalendar with its zone and recurrence', async () => {
    const res = await w.req('/events/nolameduck-uprising-2016.ics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar; charset=utf-8/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="nolameduck-uprising-2016\.ics"/);
    const text = await res.text();
    assert.match(text, /\r\n/);
    const events = vevents(text);
    assert.ok(events.length >= 1);
    assert.ok(events.every((e) => e.getFirstPropertyValue('uid') === events[0].getFirstPropertyValue('uid')));
    assert.ok(events[0].getFirstProperty('rrule'), 'the series, not one day');
    assert.equal((await w.req('/events/no-such-event.ics')).status, 404);
    assert.equal((await w.req('/events/nolameduck-uprising-2016.txt')).status, 404);
  });

  it('/calendar.ics has the upcoming events, filtered by kind on request', async () => {
    const all = vevents(await (await w.req('/calendar.ics')).text());
    const titles = new Set(all.map((e) => String(e.getFirstPropertyValue('summary'))));
    assert.ok(titles.has('RE-volv Webinar: Solar in Your Community Challenge'));
    assert.ok(titles.has('Blueprint for a Great Democracy'));
    const webinars = vevents(await (await w.req('/calendar.ics?kind=webinar')).text());
    assert.deepEqual([...new Set(webinars.map((e) => String(e.getFirstPropertyValue('summary'))))], ['RE-volv Webinar: Solar in Your Community Challenge']);
    const two = vevents(await (await w.req('/calendar.ics?kinds=webinar,conference')).text());
    assert.ok(two.length > webinars.length);
    const bad = await w.req('/calendar.ics?kind=rave');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Unknown kind 'rave'/);
  });

  it('past events are not upcoming', async () => {
    w.clock.set('2018-01-01T00:00:00Z');
    try {
      assert.equal(vevents(await (await w.req('/calendar.ics')).text()).length, 0);
    } finally {
      w.clock.set('2016-11-25T15:00:00Z');
    }
  });
});

describe('headers and errors', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  const logged: string[] = [];
  before(() => void (w.deps.log = (l) => logged.push(l)));
  after(() => w.close());

  it('pages carry a CSP, nosniff, no framing and no referrer', async () => {
    for (const path of ['/', '/subscribe', '/archive', '/admin']) {
      const res = await w.req(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'; style-src 'self'; script-src 'self'/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    }
    const css = await w.req('/assets/site.css');
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });

  it('user text is escaped on the page', async () => {
    const res = await w.post('/subscribe', { email: '<script>alert(1)</script>@x', name: '"><img src=x onerror=alert(1)>', kinds: ['action'] });
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.doesNotMatch(page, /<script>alert|<img src=x/);
    assert.match(page, /&lt;script&gt;/);
  });

  it('an unknown path is a 404 page; an unexpected failure is a 500 page without internals, logged for the organizer', async () => {
    const res = await w.req('/wp-login.php');
    assert.equal(res.status, 404);
    assert.match(await res.text(), /Not found/);
    w.deps.loadEvents = () => Promise.reject(new Error('ENOENT: /secret/path/events.yaml'));
    const broken = await w.req('/calendar.ics');
    assert.equal(broken.status, 500);
    const page = await broken.text();
    assert.doesNotMatch(page, /ENOENT|secret\/path|at /);
    assert.ok(logged.some((l) => l.includes('ENOENT')), 'the organizer finds it in the log');
  });
});
