// The digest for a reader with a place, on the real gazetteer: within the radius and nearest first, each with its
// distance; national and online always; the rest counted in the footer; a reader without a place gets every event.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { compareWithSnapshot } from '../../src/changes/compare.ts';
import { takeSnapshot } from '../../src/changes/snapshot.ts';
import { loadStructuredText } from '../../src/events/load-yaml.ts';
import { issueNearby } from '../../src/places/event-place.ts';
import { loadGazetteer } from '../../src/places/gazetteer.ts';
import type { ReaderPlace } from '../../src/places/nearby.ts';
import { placeLayer } from '../../src/places/place-layer.ts';
import { compileTextSkeleton, entryTextRenderer, placeText } from '../../src/places/place-text.ts';
import { renderVariant } from '../../src/render/digest.ts';
import type { Variant } from '../../src/render/digest-view.ts';
import { READER, SETTINGS, visibleText } from '../helpers/render.ts';

const gaz = await loadGazetteer();
const events = loadStructuredText(readFileSync('tests/fixtures/places/ohio.yaml', 'utf8'), 'ohio.yaml', 'yaml', { listTimezone: 'America/New_York', defaultKind: 'action' }).events;
const selection = selectWindow(events, windowFor('2030-05-06', 1, 'America/New_York'), { kinds: [], months: 0 });
const town = (name: string, region: string) => gaz.named(name).find((t) => t.country === 'US' && t.region === region)!;
const columbus = town('Columbus', 'OH');

function miles(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lon - a.lon) / 2) ** 2;
  return 2 * 3958.76 * Math.asin(Math.sqrt(h));
}

async function digestFor(near: ReaderPlace | undefined, unit: 'mi' | 'km' = 'mi') {
  const nearby = near ? await issueNearby(selection, unit) : undefined;
  const c = await renderVariant(selection, near ? { zone: 'America/New_York', kinds: [], near } : { zone: 'America/New_York', kinds: [] }, SETTINGS, { nearby });
  return { view: c.view, seen: visibleText(c.html(READER)), text: c.text(READER) };
}

const titles = (view: Awaited<ReturnType<typeof digestFor>>['view']) => view.sections.flatMap((s) => s.items.map((i) => [i.title, i.distance ?? null]));

describe('the digest near a reader', () => {
  const newark = miles(columbus, town('Newark', 'OH'));
  const dublin = miles(columbus, town('Dublin', 'OH'));

  it('within the radius, nearest first, each with its distance; national and online after them; the rest counted in the footer', async () => {
    const { view, seen, text } = await digestFor({ name: 'Columbus, OH', lat: columbus.lat, lon: columbus.lon, radius: 50 });
    assert.deepEqual(titles(view), [
      ['Columbus vigil', 'less than 1 mi away'],
      ['Dublin meeting', `${Math.round(dublin)} mi away`],
      ['Newark canvass', `${Math.round(newark)} mi away`],
      ['Phone bank', null],
      ['March on Washington', null],
    ]);
    assert.ok(!seen.includes('Cleveland rally'));
    assert.match(seen, new RegExp(`Courthouse steps, Newark, OH · Map · ${Math.round(newark)} mi away`));
    assert.match(seen, /For you near Columbus, OH: in-person events within 50 mi, nearest first, and every national and online event\. 1 in-person event farther away is not shown here: see the full list ?\./);
    assert.match(text, /Courthouse steps, Newark, OH · \d+ mi away/);
    assert.match(text, /1 in-person event farther away is not shown\s+here:\s+https:\/\/digest\.example\.org\/archive\/2030-05-06/);
    // "At a glance" stays in date order.
    assert.deepEqual(view.glance.flatMap((r) => r.items.map((i) => i.title)), ['Phone bank', 'Newark canvass', 'Dublin meeting', 'Columbus vigil', 'March on Washington']);
  });

  it('the radius edge: an event as far as the radius (as shown, rounded) is in; one unit less leaves it out', async () => {
    const edge = Math.round(newark);
    const at = await digestFor({ name: 'Columbus, OH', lat: columbus.lat, lon: columbus.lon, radius: edge });
    assert.ok(titles(at.view).some(([t]) => t === 'Newark canvass'));
    const inside = await digestFor({ name: 'Columbus, OH', lat: columbus.lat, lon: columbus.lon, radius: edge - 1 });
    assert.ok(!titles(inside.view).some(([t]) => t === 'Newark canvass'));
    assert.match(inside.seen, /2 in-person events farther away are not shown here/);
  });

  it('far from everything: only the national and online events, in date order; km when the list counts in km', async () => {
    const berlin = gaz.named('Berlin').find((t) => t.country === 'DE')!;
    const { view } = await digestFor({ name: 'Berlin, Germany', lat: berlin.lat, lon: berlin.lon, radius: 100 }, 'km');
    assert.deepEqual(titles(view), [['Phone bank', null], ['March on Washington', null]]);
    const cleveland = town('Cleveland', 'OH');
    const near = await digestFor({ name: 'Cleveland, OH', lat: cleveland.lat, lon: cleveland.lon, radius: 10 }, 'km');
    assert.deepEqual(titles(near.view)[0], ['Cleveland rally', 'less than 1 km away']);
  });

  it('a reader without a place gets every event in date order, with no distances and no note', async () => {
    const { view, seen } = await digestFor(undefined);
    assert.deepEqual(titles(view), [['Cleveland rally', null], ['Phone bank', null], ['Newark canvass', null], ['Dublin meeting', null], ['Columbus vigil', null], ['March on Washington', null]]);
    assert.ok(!seen.includes('For you near'));
  });
});

describe('the place layer (a place without an MJML compile)', () => {
  const zone = 'America/New_York';
  const denver = town('Denver', 'CO');
  const cleveland = town('Cleveland', 'OH');
  const places: ReaderPlace[] = [
    { name: 'Columbus, OH', lat: columbus.lat, lon: columbus.lon, radius: 50 },
    { name: 'Columbus, OH', lat: columbus.lat, lon: columbus.lon, radius: 5 },
    { name: 'Columbus, OH', lat: columbus.lat, lon: columbus.lon, radius: 500 },
    { name: 'Cleveland, OH', lat: cleveland.lat, lon: cleveland.lon, radius: 30 },
    { name: 'Denver, CO', lat: denver.lat, lon: denver.lon, radius: 50 },
  ];
  const readers = [READER, { ...READER, name: undefined }];

  it('gives every place the same digest as a whole compile with that place: text byte for byte, HTML the same to a reader', async () => {
    const nearby = await issueNearby(selection, 'mi');
    // Without a "why" line and a postal address, the place note is followed by blank lines that collapse with its own.
    for (const settings of [SETTINGS, { ...SETTINGS, whyText: '', postalAddress: '' }]) {
      const layer = placeLayer(selection, { zone, kinds: [] }, settings, { nearby });
      for (const near of places) {
        const fast = await layer.variant(near);
        const whole = await renderVariant(selection, { zone, kinds: [], near }, settings, { nearby });
        assert.equal(fast.subject, whole.subject);
        for (const r of readers) assert.equal(fast.text(r), whole.text(r), `${near.name} ${near.radius}`);
        assert.equal(visibleText(fast.html(READER)), visibleText(whole.html(READER)), `${near.name} ${near.radius}`);
        assert.ok(fast.html(READER).includes(`href="${READER.unsubscribeUrl}"`));
        // Made from a skeleton with holes (not by the whole compile it is compared with).
        assert.match(fast.mjml, /Zq[0-9a-f]{16}H\d+Qz/);
      }
    }
  });

  it('the text from a skeleton equals the whole text, with badges, a title with braces, a long wide title, the distances and the note', async () => {
    // The next week: one event retitled (braces, and wide characters that wrap), one moved, one gone.
    const snapshot = takeSnapshot(selection, { events, alliedCalendars: [] }, undefined, new Date('2030-05-05T12:00:00Z'));
    const retitled = `{{reader.unsubscribeUrl}} ${'東京の集会と行進のお知らせ'.repeat(4)} Newark canvass, with a title long enough to wrap twice over`;
    const after = events
      .filter((e) => e.id !== 'columbus-vigil')
      .map((e) => (e.id === 'newark-canvass' ? { ...e, title: retitled } : e.id === 'dublin-meeting' ? { ...e, start: '2030-05-09T19:30' } : e));
    const current = selectWindow(after, selection.window, { kinds: [], months: 0 });
    const changes = compareWithSnapshot(current, { events: after, alliedCalendars: [] }, { windowStart: selection.window.startDate, windowEndMs: selection.window.endMs, snapshot });
    const nearby = await issueNearby(current, 'mi');
    for (const fresh of [false, true]) {
      const base: Variant = { zone, kinds: [], fresh };
      const layer = placeLayer(current, base, SETTINGS, { nearby, changes });
      const entryText = entryTextRenderer();
      const wrapped = new Map<string, string>();
      for (const near of places) {
        const whole = await renderVariant(current, { ...base, near }, SETTINGS, { nearby, changes });
        // The text's own parts, alone: a skeleton from this view, and this view's holes filled.
        const text = placeText(compileTextSkeleton(whole.view), whole.view, entryText, wrapped);
        assert.ok(text, 'made from the skeleton, not compiled whole');
        const fast = await layer.variant(near);
        for (const r of readers) {
          assert.equal(text(r), whole.text(r), `${near.name} ${near.radius} fresh ${fresh}`);
          assert.equal(fast.text(r), whole.text(r), `${near.name} ${near.radius} fresh ${fresh}`);
        }
      }
      const columbus50 = (await layer.variant(places[0])).text(READER);
      assert.equal(/Changed:/.test(columbus50), !fresh);
      assert.equal(columbus50.includes('CANCELLED'), !fresh);
      assert.ok(columbus50.includes('{{reader.unsubscribeUrl}} 東京'), 'calendar braces stay as written');
      assert.match(columbus50, /Courthouse steps, Newark, OH · \d+ mi away/);
    }
  });

  it('a quiet digest (nothing near, nothing national or online) is compiled whole, and equal to it', async () => {
    const local = events.filter((e) => e.id !== 'march-on-washington' && e.id !== 'phone-bank');
    const quiet = selectWindow(local, selection.window, { kinds: [], months: 0 });
    const nearby = await issueNearby(quiet, 'mi');
    const near = places[4];
    const whole = await renderVariant(quiet, { zone, kinds: [], near }, SETTINGS, { nearby });
    assert.ok(whole.view.quiet);
    assert.equal(placeText(compileTextSkeleton(whole.view), whole.view, entryTextRenderer(), new Map()), undefined);
    const fast = await placeLayer(quiet, { zone, kinds: [] }, SETTINGS, { nearby }).variant(near);
    for (const r of readers) assert.equal(fast.text(r), whole.text(r));
    assert.match(fast.text(READER), /NOTHING SCHEDULED/);
    assert.equal(visibleText(fast.html(READER)), visibleText(whole.html(READER)));
  });
});

describe('"save the date" near a reader', () => {
  // Two conferences months ahead: one in Dublin, OH (next to Columbus), one in Denver, CO.
  const yaml = `events:
  - {id: dublin-conf, title: Ohio organizers conference, kind: conference, start: 2030-08-10, end: 2030-08-11, location: {venue: Rec center, city: Dublin, region: OH}}
  - {id: denver-conf, title: Rocky Mountain conference, kind: conference, start: 2030-09-14, end: 2030-09-15, location: {venue: Convention center, city: Denver, region: CO}}
  - {id: vigil, title: Columbus vigil, kind: action, start: 2030-05-10T19:00, end: 2030-05-10T20:00, location: {venue: Statehouse, city: Columbus, region: OH}}
`;
  const cal = loadStructuredText(yaml, 'conf.yaml', 'yaml', { listTimezone: 'America/New_York', defaultKind: 'action' }).events;
  const sel = selectWindow(cal, windowFor('2030-05-06', 1, 'America/New_York'), { kinds: ['conference'], months: 6 });
  const zone = 'America/New_York';
  const at = (t: { lat: number; lon: number }, name: string): ReaderPlace => ({ name, lat: t.lat, lon: t.lon, radius: 50 });

  it('lists only the conferences within the reader\'s radius (all of them without a place), as a skeleton and as a whole compile alike', async () => {
    assert.deepEqual(sel.saveTheDate.map((o) => o.eventId), ['dublin-conf', 'denver-conf']);
    const nearby = await issueNearby(sel, 'mi');
    const layer = placeLayer(sel, { zone, kinds: [] }, SETTINGS, { nearby });
    const expected: [ReaderPlace, string[]][] = [
      [at(columbus, 'Columbus, OH'), ['Ohio organizers conference']],
      [at(town('Denver', 'CO'), 'Denver, CO'), ['Rocky Mountain conference']],
      [at(town('Cleveland', 'OH'), 'Cleveland, OH'), []],
    ];
    for (const [near, titles] of expected) {
      const whole = await renderVariant(sel, { zone, kinds: [], near }, SETTINGS, { nearby });
      assert.deepEqual(whole.view.saveTheDate.map((s) => s.title), titles, near.name);
      const fast = await layer.variant(near);
      assert.equal(fast.text(READER), whole.text(READER), near.name);
      assert.equal(visibleText(fast.html(READER)), visibleText(whole.html(READER)), near.name);
    }
    const everyone = await renderVariant(sel, { zone, kinds: [] }, SETTINGS, {});
    assert.deepEqual(everyone.view.saveTheDate.map((s) => s.title), ['Ohio organizers conference', 'Rocky Mountain conference']);
  });
});
