// Benchmarks the digest near each reader: the gazetteer's load time and memory, then 100,000 readers over 500 places
// and 20 zone × kinds choices (10,000 variants) on 200 events, against compiling MJML per reader.
import type { Bench } from './run.ts';
import { selectWindow } from '../src/calendar/select.ts';
import { windowFor } from '../src/calendar/window.ts';
import type { CalendarEvent } from '../src/events/model.ts';
import { issueNearby } from '../src/places/event-place.ts';
import { loadGazetteer, type Town } from '../src/places/gazetteer.ts';
import type { ReaderPlace } from '../src/places/nearby.ts';
import { placeLayer, type PlaceLayer } from '../src/places/place-layer.ts';
import { resolvePlace, townName } from '../src/places/resolve.ts';
import { renderVariant, variantKey } from '../src/render/digest.ts';
import { fortyEvents, reader, SETTINGS, VARIANTS, ZONE } from './fixtures.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function gazetteerCost(): Promise<void> {
  gc();
  const before = process.memoryUsage();
  let t = performance.now();
  const gaz = await loadGazetteer();
  const load = performance.now() - t;
  gc();
  const after = process.memoryUsage();
  t = performance.now();
  await resolvePlace(gaz, '43215');
  const zips = performance.now() - t;
  t = performance.now();
  await resolvePlace(gaz, '39.96, -83.00');
  const index = performance.now() - t;
  t = performance.now();
  const N = 10_000;
  for (let i = 0; i < N; i++) await resolvePlace(gaz, i % 2 ? 'Columbus, OH' : 'Berlin, Germany');
  const perLookup = ((performance.now() - t) / N) * 1000;
  gc();
  const all = process.memoryUsage();
  console.log(`gazetteer: ${gaz.towns.length.toLocaleString('en-US')} towns loaded in ${load.toFixed(0)} ms (heap +${mb(after.heapUsed - before.heapUsed)}, RSS +${mb(after.rss - before.rss)}); the ZIP table on its first use ${zips.toFixed(0)} ms, the nearest-town index on its first use ${index.toFixed(0)} ms (RSS +${mb(all.rss - after.rss)} for both); a look-up by name ${perLookup.toFixed(1)} µs`);
}

/** 200 events over three weeks: in-person ones in the 500 largest US towns (by city and state, so the gazetteer places them), every 10th national, webinars online. */
function twoHundredEvents(towns: readonly Town[]): CalendarEvent[] {
  const forty = fortyEvents();
  return Array.from({ length: 200 }, (_, i) => {
    const e = forty[i % 40];
    const town = towns[(i * 37) % towns.length];
    const inPerson = e.kind !== 'webinar';
    return {
      ...e,
      id: `event-${i}`,
      title: `${e.title.replace(/ \(\d+\)$/, '')} (${i})`,
      recurrence: undefined,
      ...(i % 10 === 0 ? { scope: 'national' as const } : {}),
      location: inPerson ? { venue: 'Community Hall', address: '12 Main St', city: town.name, region: town.region } : e.location,
    };
  });
}

async function run(): Promise<void> {
  await gazetteerCost();
  const gaz = await loadGazetteer();
  const towns = gaz.towns.filter((t) => t.country === 'US').sort((a, b) => b.population - a.population).slice(0, 500);
  const places: ReaderPlace[] = towns.map((t) => ({ name: townName(gaz, t), lat: t.lat, lon: t.lon, radius: 50 }));
  const selection = selectWindow(twoHundredEvents(towns), windowFor('2016-11-28', 3, ZONE), { kinds: ['conference'], months: 6 });
  let t = performance.now();
  const nearby = await issueNearby(selection, 'mi');
  console.log(`200 events: ${selection.occurrences.length} occurrences, ${nearby.points.size} in-person events placed in ${(performance.now() - t).toFixed(0)} ms`);

  // Readers i and i+20 share the zone × kinds; every 20 readers move to the next place: all 10,000 pairs occur, 10 readers each.
  // Each variant is made once and its readers rendered before the next, as a send grouped by variant would.
  const N = 100_000;
  const layers = new Map<string, PlaceLayer>();
  let total = 0;
  let listed = 0;
  t = performance.now();
  for (let pair = 0; pair < VARIANTS.length * places.length; pair++) {
    const base = VARIANTS[pair % VARIANTS.length];
    let layer = layers.get(variantKey(base));
    if (!layer) layers.set(variantKey(base), (layer = placeLayer(selection, base, SETTINGS, { nearby })));
    const v = await layer.variant(places[Math.floor(pair / VARIANTS.length) % places.length]);
    listed += v.view.total;
    for (let i = pair; i < N; i += VARIANTS.length * places.length) {
      const r = reader(i);
      total += v.html(r).length + v.text(r).length;
    }
  }
  const tAll = performance.now() - t;
  const variants = VARIANTS.length * places.length;
  console.log(
    `${N.toLocaleString('en-US')} readers over ${places.length} places × ${VARIANTS.length} zone/kinds = ${variants.toLocaleString('en-US')} variants: ${(tAll / 1000).toFixed(1)} s, ${Math.round(N / (tAll / 1000)).toLocaleString('en-US')} readers/s (${((tAll / variants) * 1000).toFixed(0)} µs per variant with its readers; ${(listed / variants).toFixed(1)} entries per digest on average); ${(total / 1e9).toFixed(2)} GB of HTML+text`,
  );

  // The baseline: MJML compiled for every reader (with their place), measured on a sample and scaled.
  const SAMPLE = 60;
  const t1 = performance.now();
  for (let i = 0; i < SAMPLE; i++) {
    const c = await renderVariant(selection, { ...VARIANTS[i % VARIANTS.length], near: places[(i * 13) % places.length] }, SETTINGS, { nearby });
    total += c.html(reader(i)).length + c.text(reader(i)).length;
  }
  const perReader = (performance.now() - t1) / SAMPLE;
  const ratio = (perReader * N) / tAll;
  console.log(`baseline, MJML per reader: ${perReader.toFixed(1)} ms per reader on ${SAMPLE} readers → ${((perReader * N) / 1000 / 60).toFixed(1)} min for ${N.toLocaleString('en-US')}`);
  console.log(`ratio: ${ratio.toFixed(0)}× faster than compiling MJML per reader: ${ratio >= 100 ? 'PASS' : 'FAIL'} at or above 100×`);
}

export const bench: Bench = { name: 'places', description: 'the gazetteer, and 100,000 readers over 500 places × 20 zone/kinds (200 events) vs MJML per reader', run };
