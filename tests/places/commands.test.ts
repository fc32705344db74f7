// `select --near`, `preview --near` and `preview --subscriber` with a stored place, in-process, on the Ohio week and the real gazetteer.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/program.ts';
import { engineEnv } from '../helpers/engines.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/places');
const ENV = { DIGEST_EVENTS: join(FIXTURES, 'ohio.yaml'), DIGEST_NOW: '2030-05-05T12:00:00Z', DIGEST_KINDS: 'action' };

async function cli(args: string[], cwd = FIXTURES, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { cwd, env: { ...ENV, ...engineEnv(cwd), ...env }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('commands near a place', () => {
  it('select --near --json: filtered and nearest first, each with its distance (null for online and national), the place and what was left out', async () => {
    const r = await cli(['select', '--as-of', '2030-05-06', '--weeks', '1', '--near', 'Columbus, OH', '--json']);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.deepEqual(Object.keys(doc), ['window', 'near', 'occurrences', 'saveTheDate', 'changesSince', 'sentIssue']);
    assert.deepEqual([doc.changesSince, doc.sentIssue, doc.occurrences[0].change], [null, null, null], 'nothing sent yet: no badges');
    assert.deepEqual({ ...doc.near, lat: 0, lon: 0 }, { place: 'Columbus, OH', lat: 0, lon: 0, radius: 50, unit: 'mi', beyond: 1 });
    assert.deepEqual(doc.occurrences.map((o: { title: string; distance: number | null }) => [o.title, typeof o.distance]), [
      ['Columbus vigil', 'number'], ['Dublin meeting', 'number'], ['Newark canvass', 'number'], ['Phone bank', 'object'], ['March on Washington', 'object'],
    ]);
    const d = doc.occurrences.map((o: { distance: number | null }) => o.distance);
    assert.ok(d[0] < d[1] && d[1] < d[2] && d[2] <= 50 && d[3] === null && d[4] === null, JSON.stringify(d));
    // Every contract field is still there.
    assert.deepEqual(Object.keys(doc.occurrences[0]), ['eventId', 'title', 'kind', 'start', 'end', 'allDay', 'timezone', 'ongoing', 'location', 'url', 'change', 'distance']);
    const wide = JSON.parse((await cli(['select', '--as-of', '2030-05-06', '--weeks', '1', '--near', '43215', '--radius', '300', '--json'], FIXTURES, { DIGEST_DISTANCE_UNIT: 'km' })).out);
    assert.deepEqual([wide.near.place, wide.near.unit, wide.near.beyond, wide.occurrences.length], ['Columbus, OH 43215', 'km', 0, 6]);
  });

  it('select --near without --json: a line per event with its distance', async () => {
    const r = await cli(['select', '--as-of', '2030-05-06', '--weeks', '1', '--near', 'Columbus, OH', '--radius', '20']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'May 6 – 12, 2030 (America/New_York) near Columbus, OH, within 20 mi: 4 events, 2 farther away left out');
    assert.match(lines[2], /^Fri, May 10, 7:00 PM EDT · Columbus vigil · Statehouse · less than 1 mi away$/);
    assert.match(lines[3], /^Thu, May 9, 6:00 PM EDT · Dublin meeting · .* · \d+ mi away$/);
  });

  it('an unknown place: exit 2, one line on stderr quoting it; a bad radius or --radius alone: exit 2', async () => {
    const r = await cli(['select', '--near', 'Colombus, OH', '--json']);
    assert.deepEqual([r.code, r.out], [2, '']);
    assert.equal(r.err, "event-digest: unknown place 'Colombus, OH'; did you mean Columbus, OH?");
    assert.equal((await cli(['select', '--near', 'Columbus, OH', '--radius', 'far'])).err, "event-digest: --radius: 'far' is not a whole number from 1 to 20000");
    assert.equal((await cli(['select', '--radius', '10'])).code, 2);
    const amb = await cli(['select', '--as-of', '2030-05-06', '--near', 'Springfield', '--json']);
    assert.equal(amb.code, 0);
    assert.match(amb.err, /^note: 'Springfield' is Springfield, MO, the largest of \d+ places/);
  });

  it('preview --near writes the digest a reader there gets; --subscriber uses the stored place', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ed-near-'));
    const near = await cli(['preview', '--as-of', '2030-05-06', '--near', 'Columbus, OH', '--radius', '40', '--out', 'near'], cwd);
    assert.equal(near.code, 0, near.err);
    const text = readFileSync(join(cwd, 'near/digest.txt'), 'utf8');
    assert.match(text, /Newark canvass[\s\S]*Courthouse steps, Newark, OH · \d+ mi away/);
    assert.ok(!text.includes('Cleveland rally'));
    assert.match(text, /For you near Columbus, OH: in-person events within 40 mi/);

    assert.equal((await cli(['subscribers', 'add', 'cleo@example.org', '--location', 'Cleveland, OH', '--radius', '10'], cwd)).code, 0);
    const sub = await cli(['preview', '--as-of', '2030-05-06', '--subscriber', 'cleo@example.org', '--out', 'cleo'], cwd);
    assert.equal(sub.code, 0, sub.err);
    const cleo = readFileSync(join(cwd, 'cleo/digest.txt'), 'utf8');
    assert.match(cleo, /Cleveland rally/);
    assert.ok(!cleo.includes('Newark canvass'));
    assert.match(cleo, /For you near Cleveland, OH: in-person events within 10 mi/);
    assert.match(readFileSync(join(cwd, 'cleo/digest.eml'), 'latin1'), /For you near Cleveland, OH/);
    assert.equal((await cli(['preview', '--subscriber', 'cleo@example.org', '--near', 'Columbus, OH'], cwd)).code, 2);
  });
});
