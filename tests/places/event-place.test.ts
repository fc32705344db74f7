// Where events are: location.geo and scope in YAML, GEO and X-EVENT-DIGEST-SCOPE in ICS (and back through the export),
// city/region/country and LOCATION text through the real gazetteer, and the `check` warning for a place it lacks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/program.ts';
import { exportIcs } from '../../src/events/ics/export.ts';
import { placeKey } from '../../src/events/location.ts';
import { loadIcsText } from '../../src/events/ics/load.ts';
import { loadStructuredText } from '../../src/events/load-yaml.ts';
import type { CalendarEvent } from '../../src/events/model.ts';
import { eventPoint, eventPoints, isEverywhere, unplacedFindings } from '../../src/places/event-place.ts';
import { loadGazetteer } from '../../src/places/gazetteer.ts';
import { engineEnv } from '../helpers/engines.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/fixtures/places');
const opts = { listTimezone: 'America/New_York', kinds: ['action'], defaultKind: 'action' };
const gaz = await loadGazetteer();

const yaml = loadStructuredText(readFileSync(join(FIXTURES, 'events.yaml'), 'utf8'), 'events.yaml', 'yaml', opts);
const ics = loadIcsText(readFileSync(join(FIXTURES, 'events.ics'), 'utf8'), 'events.ics', opts);
const byTitle = (events: CalendarEvent[], title: string) => events.find((e) => e.title === title)!;

describe('event places', () => {
  it('YAML: location.geo and scope are read; a geo out of range and an unknown scope are errors', () => {
    assert.deepEqual(yaml.findings, []);
    const march = byTitle(yaml.events, 'March');
    assert.deepEqual(march.location?.geo, { lat: 38.89, lon: -77.02 });
    assert.equal(march.scope, 'national');
    assert.equal(byTitle(yaml.events, 'Rally in Columbus').scope, undefined);
    const bad = loadStructuredText('events:\n  - title: X\n    start: 2030-05-01\n    scope: regional\n    location: {geo: {lat: 91, lon: 0}}\n', 'bad.yaml', 'yaml', opts);
    assert.deepEqual(bad.findings.map((f) => [f.line, f.message]), [[5, 'lat: Too big: expected number to be <=90'], [4, 'scope: expected one of local, national']]);
  });

  it('ICS: GEO and X-EVENT-DIGEST-SCOPE are read, and survive export and import', () => {
    assert.deepEqual(ics.findings, []);
    const geo = byTitle(ics.events, 'Geo event');
    assert.deepEqual(geo.location?.geo, { lat: 39.9, lon: -83 });
    assert.equal(geo.location?.venue, 'Somewhere odd');
    assert.equal(geo.scope, 'national');
    const out = exportIcs({ events: [...yaml.events, ...ics.events], alliedCalendars: [] }, { now: new Date('2030-01-01T00:00:00Z') });
    assert.match(out, /^GEO:38\.89;-77\.02\r$/m);
    assert.match(out, /^X-EVENT-DIGEST-SCOPE:NATIONAL\r$/m);
    const back = loadIcsText(out, 'out.ics', opts);
    assert.deepEqual(back.findings, []);
    assert.deepEqual(byTitle(back.events, 'March').location?.geo, { lat: 38.89, lon: -77.02 });
    assert.equal(byTitle(back.events, 'March').scope, 'national');
    assert.equal(byTitle(back.events, 'Rally in Columbus').scope, undefined);
    const odd = loadIcsText(readFileSync(join(FIXTURES, 'events.ics'), 'utf8').replace('GEO:39.9;-83.0', 'GEO:north').replace(':NATIONAL', ':EVERYWHERE'), 'odd.ics', opts);
    assert.deepEqual(odd.findings.map((f) => f.message), ["event UID a1: ignoring GEO: 'north' is not \"latitude;longitude\"", "event UID a1: ignoring X-EVENT-DIGEST-SCOPE: 'everywhere' is not LOCAL or NATIONAL"]);
  });

  it('an event is placed by geo, else city/region/country, else the tail of its LOCATION text', async () => {
    const columbus = gaz.named('Columbus').find((t) => t.region === 'OH')!;
    assert.deepEqual(await eventPoint(gaz, byTitle(yaml.events, 'Rally in Columbus')), { lat: columbus.lat, lon: columbus.lon });
    const text = loadIcsText(readFileSync(join(FIXTURES, 'events.ics'), 'utf8').replace('Qwzx Hall\\, Blorp', 'Union Hall\\, 12 Elm St\\, Columbus\\, OH'), 'x.ics', opts);
    assert.deepEqual(await eventPoint(gaz, byTitle(text.events, 'Lost event')), { lat: columbus.lat, lon: columbus.lon });
    const zip = loadIcsText(readFileSync(join(FIXTURES, 'events.ics'), 'utf8').replace('Qwzx Hall\\, Blorp', '500 Main St\\, Anytown\\, OH 43215'), 'z.ics', opts);
    const p = await eventPoint(gaz, byTitle(zip.events, 'Lost event'));
    assert.ok(p && Math.abs(p.lat - 39.97) < 0.05, JSON.stringify(p));
    assert.equal(await eventPoint(gaz, byTitle(yaml.events, 'Rally somewhere')), undefined);
    // Online and national events have no distance: they go to everyone.
    const points = await eventPoints(gaz, [...yaml.events, ...ics.events]);
    const all = [...yaml.events, ...ics.events];
    assert.deepEqual([...points.keys()].map((key) => all.filter((e) => e.location && placeKey(e.location) === key).map((e) => e.title)), [['Rally in Columbus']]);
    assert.ok(isEverywhere(byTitle(yaml.events, 'Online')) && isEverywhere(byTitle(yaml.events, 'March')) && isEverywhere(byTitle(ics.events, 'Geo event')));
  });

  it('an instance an override holds elsewhere is placed by its own GEO or LOCATION, and check warns when neither is known', async () => {
    const text = readFileSync(join(FIXTURES, 'moved.ics'), 'utf8');
    const withGeo = loadIcsText(text.replace('LOCATION:Public Square\\, Cleveland\\, OH', 'LOCATION:Public Square\nGEO:41.5;-81.69'), 'g.ics', opts);
    assert.deepEqual(withGeo.findings, []);
    assert.deepEqual(withGeo.events[0].overrides[0].location, { venue: 'Public Square', geo: { lat: 41.5, lon: -81.69 } });
    const moved = loadIcsText(text, 'm.ics', opts).events;
    const cleveland = gaz.named('Cleveland').find((t) => t.region === 'OH')!;
    assert.deepEqual(await eventPoints(gaz, moved), new Map([[placeKey(moved[0].location!), { lat: 39.9612, lon: -82.9988 }], [placeKey(moved[0].overrides[0].location!), { lat: cleveland.lat, lon: cleveland.lon }]]));
    const lost = loadIcsText(text.replace('Public Square\\, Cleveland\\, OH', 'Qwzx Hall\\, Blorp'), 'lost.ics', opts).events;
    const found = await unplacedFindings(gaz, lost);
    assert.deepEqual(found.map((f) => f.line), [23], 'the override\'s LOCATION line');
    assert.match(found[0].message, /^event UID canvass-night@example\.org: event 'Canvass night' \(override 1, 2030-05-14T18:00:00\): its place is not known to the gazetteer/);
  });

  it('check warns, by line or UID, for each in-person event the gazetteer cannot place', async () => {
    const out: string[] = [];
    const code = await run(['check'], { cwd: FIXTURES, env: { DIGEST_EVENTS: 'events.yaml,events.ics', DIGEST_NOW: '2030-04-01T00:00:00Z', ...engineEnv(FIXTURES) }, out: (s) => out.push(s), err: () => {}, isTty: false });
    assert.equal(code, 0);
    const warnings = out.join('\n').split('\n').filter((l) => l.includes('not known to the gazetteer'));
    assert.deepEqual(warnings.map((l) => l.split(': warning: ')[0]), ["events.yaml:7:5", "events.ics:18:1"]);
    assert.match(warnings[0], /event 'Rally somewhere': its place is not known to the gazetteer/);
    assert.match(warnings[1], /event UID a2: event 'Lost event'/);
  });
});
