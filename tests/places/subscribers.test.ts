// Where readers are: `subscribers add --location --radius`, `list --json`, and a CSV import with a bad location row, on a real SQLite file.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadGazetteer } from '../../src/places/gazetteer.ts';
import { cli, listJson, tempDir } from '../subscribers/helpers.ts';

const gaz = await loadGazetteer();
const columbus = gaz.named('Columbus').find((t) => t.region === 'OH')!;

test('add --location stores the resolved town and coordinates, --radius the radius; list --json shows both', async () => {
  const cwd = tempDir();
  const r = await cli(cwd, ['subscribers', 'add', 'ann@example.org', '--location', 'columbus ohio', '--radius', '25']);
  assert.deepEqual([r.code, r.out, r.err], [0, 'added ann@example.org: active, America/New_York, kinds: all, near Columbus, OH (25 mi)', '']);
  const amb = await cli(cwd, ['subscribers', 'add', 'bo@example.org', '--location', 'Springfield']);
  assert.equal(amb.code, 0);
  assert.match(amb.out, /near Springfield, MO \(50 mi\)\nnote: 'Springfield' is Springfield, MO, the largest of \d+ places of that name/);
  const [ann, bo] = await listJson(cwd);
  assert.deepEqual(ann.location, { name: 'Columbus, OH', lat: columbus.lat, lon: columbus.lon });
  assert.equal(ann.radius, 25);
  assert.equal(bo.radius, null);
  // An update without --location keeps the place; "" clears it.
  await cli(cwd, ['subscribers', 'add', 'ann@example.org', '--name', 'Ann']);
  assert.equal((await listJson(cwd))[0].location?.name, 'Columbus, OH');
  await cli(cwd, ['subscribers', 'add', 'ann@example.org', '--location', '', '--radius', '']);
  assert.deepEqual([(await listJson(cwd))[0].location, (await listJson(cwd))[0].radius], [null, null]);
});

test('add with an unknown place or a bad radius: exit 2, one line quoting it, nothing stored', async () => {
  const cwd = tempDir();
  const r = await cli(cwd, ['subscribers', 'add', 'ann@example.org', '--location', 'Colombus, OH', '--radius', '0']);
  assert.equal(r.code, 2);
  assert.equal(r.err, "event-digest: --radius: radius '0' is not a whole number from 1 to 20000; --location: unknown place 'Colombus, OH'; did you mean Columbus, OH?");
  assert.deepEqual(await listJson(cwd), []);
});

test('import: location and radius columns; a row with an unknown place is rejected by line, the others imported', async () => {
  const cwd = tempDir();
  const file = join(cwd, 'readers.csv');
  writeFileSync(file, 'email,name,location,radius\nann@example.org,Ann,43215,10\nbo@example.org,Bo,Nowhereville Xq,\ncy@example.org,Cy,"Berlin, Germany",\ndee@example.org,Dee,,\n');
  const r = await cli(cwd, ['subscribers', 'import', file]);
  assert.equal(r.code, 1);
  assert.equal(r.out, `${file}:3: unknown place 'Nowhereville Xq' (give a town and its state or country, e.g. "Columbus, OH", or a US ZIP code)\nimported 3, updated 0, rejected 1`);
  const list = await listJson(cwd);
  assert.deepEqual(list.map((s) => [s.email, s.location?.name ?? null, s.radius]), [['ann@example.org', 'Columbus, OH 43215', 10], ['cy@example.org', 'Berlin, Germany', null], ['dee@example.org', null, null]]);
});
