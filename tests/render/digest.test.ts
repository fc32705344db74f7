// The digest a reader gets: the seed week in New York and Los Angeles, kinds, quiet weeks, structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMjml } from '../../src/render/compile.ts';
import { DigestError } from '../../src/errors.ts';
import { READER, render, seedEvents, visibleText } from '../helpers/render.ts';

test('the seed week for a New York reader: glance, sections in order, times and zones, save the date, footer', async () => {
  const { compiled, html, text } = await render(seedEvents(), { zone: 'America/New_York' });
  assert.equal(compiled.subject, 'Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more (Nov 28 – Dec 18)');
  assert.equal(compiled.preheader, 'Also: #NoLameDuck Uprising. Where, when and how to join inside.');
  const seen = visibleText(html);
  const order = ['Movement Digest', 'Nov 28 – Dec 18, 2016', 'Hi Ana,', 'At a glance', 'Ongoing', '#NoLameDuck Uprising: Stop the TPP', 'Tue, Dec 6', 'Blueprint for a Great Democracy', 'RE-volv Webinar', 'Actions', '#NoLameDuck Uprising: Stop the TPP', 'Ongoing through Fri, Dec 16 · next session Mon, Nov 28', 'Sessions: Nov 28 – Dec 2, Dec 5 – 9, Dec 12 – 16', 'Washington, DC · Map', 'Webinars', 'RE-volv Webinar: Solar in Your Community Challenge', 'Tue, Dec 6 · 2:00 – 3:00 PM EST (11:00 AM PST)', 'Online', 'Hosted by RE-volv', 'Conferences', 'Blueprint for a Great Democracy', 'Dec 6 – 7', 'Washington, DC · Map', 'Hosted by Common Cause', 'Save the date', 'Future of Left and Independent Politics Network — Mar 3 – 5, 2017, Chicago, IL', 'Subscribe to the calendar', 'subscribe here', 'See also the calendar of our ally Popular Resistance.', '1 Main St, Washington, DC 20001'];
  let at = -1;
  for (const s of order) {
    const i = seen.indexOf(s, at + 1);
    assert.ok(i > at, `"${s}" in order in:\n${seen}`);
    at = i;
  }
  assert.ok(html.includes(`href="${READER.unsubscribeUrl}"`));
  assert.ok(html.includes(`href="${READER.preferencesUrl}"`));
  assert.ok(html.includes('href="https://digest.example.org/archive/2016-11-28"'));
  assert.ok(html.includes('href="https://digest.example.org/calendar.ics"'));
  assert.ok(html.includes('href="https://digest.example.org/subscribe"'));
  // Add to calendar through short links on our host; no template URL in the mail.
  for (const path of ['revolv-webinar-2016-12-06/add/google', 'revolv-webinar-2016-12-06/add/outlook', 'revolv-webinar-2016-12-06.ics']) assert.ok(html.includes(`href="https://digest.example.org/events/${path}"`), path);
  assert.doesNotMatch(html, /calendar\.google\.com|outlook\.live\.com/);
  for (const s of ['Tue, Dec 6 · 2:00 – 3:00 PM EST (11:00 AM PST)', 'Unsubscribe: https://digest.example.org/unsubscribe/TOKEN-U', 'Hi Ana,', 'Register here (link to come)', 'AT A GLANCE', '- Tue, Dec 6: RE-volv Webinar: Solar in Your Community Challenge', 'Hosted by RE-volv']) assert.ok(text.includes(s), s);
});

test('the seed week for a Los Angeles reader: the webinar at 11:00 AM PST, venues unchanged', async () => {
  const { html, text } = await render(seedEvents(), { zone: 'America/Los_Angeles' });
  const seen = visibleText(html);
  assert.ok(seen.includes('Tue, Dec 6 · 11:00 AM – 12:00 PM PST Online'), seen);
  assert.ok(!seen.includes('EST (11:00 AM PST)'));
  assert.ok(seen.includes('Dec 6 – 7 Washington, DC'));
  assert.ok(seen.includes('America/Los Angeles (PST)'));
  assert.ok(text.includes('Tue, Dec 6 · 11:00 AM – 12:00 PM PST\nOnline'));
});

test('a reader who wants only webinars gets only webinars, and the subject names only those', async () => {
  const { compiled, html, text } = await render(seedEvents(), { kinds: ['webinar'] });
  assert.equal(compiled.subject, 'Dec 6: RE-volv Webinar (Nov 28 – Dec 18)');
  const seen = visibleText(html);
  assert.ok(seen.includes('RE-volv Webinar'));
  for (const absent of ['Actions', 'NoLameDuck', 'Conferences', 'Blueprint', 'Save the date', 'Future of Left']) {
    assert.ok(!seen.includes(absent), absent);
    assert.ok(!text.toLowerCase().includes(absent.toLowerCase()), absent);
  }
});

test('a quiet week says so and is flagged quiet', async () => {
  const { compiled, html } = await render(seedEvents(), { asOf: '2017-01-09' });
  assert.equal(compiled.view.quiet, true);
  assert.equal(compiled.subject, 'Nothing scheduled (Jan 9 – 29)');
  assert.ok(visibleText(html).includes('Nothing scheduled'));
  assert.ok(!visibleText(html).includes('At a glance'));
  assert.ok(visibleText(html).includes('Future of Left and Independent Politics Network'), 'save the date still shown');
});

test('the text twin: every event and link written out, lines within 78 columns (a lone URL may be longer)', async () => {
  const events = seedEvents().map((e) => (e.id === 'revolv-webinar-2016-12-06' ? { ...e, links: [{ label: 'Register here', url: 'https://re-volv.example.org/webinars/solar-in-your-community-challenge/registration?ref=digest' }] } : e));
  const { text, html } = await render(events);
  for (const title of ['#NoLameDuck Uprising: Stop the TPP', 'RE-volv Webinar: Solar in Your Community Challenge', 'Blueprint for a Great Democracy', 'Future of Left and Independent Politics Network']) assert.ok(text.includes(title), title);
  assert.ok(text.includes('https://re-volv.example.org/webinars/solar-in-your-community-challenge/registration?ref=digest'));
  // Handlebars writes "=" in attributes as &#x3D;, which every HTML parser reads back as "=".
  assert.ok(html.replaceAll('&#x3D;', '=').includes('href="https://re-volv.example.org/webinars/solar-in-your-community-challenge/registration?ref=digest"'));
  // The first link is the button, named with its event for screen readers.
  assert.ok(html.includes('aria-label="Register here: RE-volv Webinar: Solar in Your Community Challenge"'));
  for (const line of text.split('\n')) assert.ok(line.length <= 78 || /^\S+$/.test(line.trim()) || /^[^ ]+: \S+$/.test(line), `too long: ${line}`);
});

test('the HTML is accessible and dark-mode friendly: lang, headings in order, color-scheme, images with alt', async () => {
  const { html } = await render(seedEvents());
  assert.match(html, /<html lang="en"/);
  assert.match(html, /<meta name="color-scheme" content="light dark">/);
  assert.match(html, /@media \(prefers-color-scheme:dark\)/);
  const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  assert.equal(levels[0], 1);
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i] <= levels[i - 1] + 1, `heading h${levels[i]} after h${levels[i - 1]}`);
  for (const img of html.match(/<img\b[^>]*>/g) ?? []) assert.match(img, /\balt="/);
  assert.doesNotMatch(html, /fonts\.googleapis/);
});

test('MJML is validated strictly: a template error is a RENDER error, not a broken mail', async () => {
  await assert.rejects(compileMjml('<mjml><mj-body><mj-text>loose</mj-text></mj-body></mjml>'), (e) => e instanceof DigestError && e.code === 'RENDER');
  await assert.rejects(compileMjml('<mjml><mj-body><mj-section><mj-column><mj-text colour="red">x</mj-text></mj-column></mj-section></mj-body></mjml>'), (e) => e instanceof DigestError && /colour/.test(e.message));
});

test('every fixture calendar renders with zero MJML findings (strict validation), in several zones and weeks', async () => {
  const { readFileSync } = await import('node:fs');
  const { loadIcsText } = await import('../../src/events/ics/load.ts');
  const { validateEvents } = await import('../../src/events/rules/index.ts');
  const calendars: [string, ReturnType<typeof seedEvents>, string[]][] = [['data/events.yaml', seedEvents(), ['2016-11-14', '2016-11-28', '2017-02-27']]];
  for (const [file, weeks] of [['google-export.ics', ['2016-10-10', '2016-11-28']], ['outlook-export.ics', ['2017-01-30', '2017-03-13']], ['lightning-export.ics', ['2016-11-28', '2017-01-02']]] as const) {
    const loaded = loadIcsText(readFileSync(`tests/fixtures/ics/${file}`, 'utf8'), file, { listTimezone: 'America/New_York', kinds: ['action', 'webinar', 'conference'], defaultKind: 'action' });
    calendars.push([file, validateEvents(loaded.events, { kinds: ['action', 'webinar', 'conference'], nowMs: 0 }).valid, [...weeks]]);
  }
  let rendered = 0;
  for (const [name, events, weeks] of calendars) {
    assert.ok(events.length > 0, name);
    for (const asOf of weeks) {
      for (const zone of ['America/New_York', 'Europe/Berlin', 'Australia/Sydney']) {
        const { compiled, html } = await render(events, { asOf, zone });
        assert.ok(html.startsWith('<!doctype html>'), `${name} ${asOf} ${zone}`);
        if (!compiled.view.quiet) rendered++;
      }
    }
  }
  assert.ok(rendered >= 12, `only ${rendered} non-empty renders`);
});
