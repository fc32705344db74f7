// `init`: the starter files as a process writes them; the config names every key with its true default; nothing is overwritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliProcess } from '../helpers/cli-process.ts';
import { parse } from 'yaml';
import { configSchema, envVars } from '../../src/config/schema.ts';

const NOW = '2026-12-07T12:00:00Z'; // a Monday

const cli = (cwd: string, args: string[], env: Record<string, string> = {}) => cliProcess(cwd, args, { DIGEST_NOW: NOW, ...env });

/** Every key path of a zod object schema, nested objects included ("sending.retries"). */
function keyPaths(shape: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(shape).flatMap(([k, v]) => {
    let t = v as { def?: { type: string; innerType?: unknown; shape?: Record<string, unknown> } };
    while (t.def && (t.def.type === 'default' || t.def.type === 'optional')) t = t.def.innerType as typeof t;
    return [`${prefix}${k}`, ...(t.def?.type === 'object' ? keyPaths(t.def.shape!, `${prefix}${k}.`) : [])];
  });
}

test('init writes a commented config, sample events and a sample list, and prints the next three commands', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ed-init-'));
  const r = cli(cwd, ['init', 'our-group', '--tz', 'America/Chicago']);
  assert.equal(r.code, 0, r.err);
  const dir = join(cwd, 'our-group');
  const lines = r.out.split('\n');
  assert.deepEqual(lines.slice(0, 3).map((l) => l.split(' (')[0]), ['event-digest.config.yaml', 'events.yaml', 'subscribers.csv'].map((f) => `wrote ${join(dir, f)}`));
  assert.equal(lines[3], 'next: cd our-group, edit those files, then');
  assert.deepEqual(lines.slice(4).map((l) => l.split('#')[0].trim()), ['npx event-digest check', 'npx event-digest preview', 'npx event-digest subscribers import subscribers.csv']);

  // The files work as written: check finds no event problem, four events, and says what is missing for a real send.
  const check = cli(dir, ['check']);
  assert.equal(check.code, 0, check.err);
  assert.match(check.out.split('\n').at(-1)!, /^0 errors, 0 warnings; 4 valid events from 1 source; 4 configuration warnings before a real send$/);
  for (const key of ['from (DIGEST_FROM)', 'baseUrl (DIGEST_BASE_URL)', 'postalAddress (DIGEST_POSTAL_ADDRESS)', 'smtp (SMTP_URL)']) assert.ok(check.out.includes(`warning: ${key}: `), key);
  // Each sample is in the first digest, dated from today: a weekly meeting, an online event, an in-person action, a conference.
  const sel = JSON.parse(cli(dir, ['select', '--json']).out);
  assert.equal(sel.window.timezone, 'America/Chicago');
  const titles = new Set(sel.occurrences.map((o: { title: string }) => o.title));
  assert.deepEqual([...titles].sort(), ['Phone bank', 'Rally for fair housing', 'Regional organizing conference', 'Weekly organizing meeting']);
  assert.equal(sel.occurrences.filter((o: { title: string }) => o.title === 'Weekly organizing meeting').length, 3);
  const conference = sel.occurrences.find((o: { kind: string }) => o.kind === 'conference');
  assert.deepEqual([conference.allDay, conference.start, conference.end], [true, '2026-12-24', '2026-12-25']);
  assert.match(readFileSync(join(dir, 'events.yaml'), 'utf8'), /url: https:\/\/meet\.example\.org\/phone-bank/);
  assert.match(readFileSync(join(dir, 'events.yaml'), 'utf8'), /address: 1 City Hall Plaza/);
  const imported = cli(dir, ['subscribers', 'import', 'subscribers.csv']);
  assert.equal(imported.out, 'imported 2, updated 0, rejected 0', imported.err);
});

test('the config names every key with its environment variable and a line on it; each commented default is the real default', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ed-init-'));
  assert.equal(cli(cwd, ['init']).code, 0);
  const text = readFileSync(join(cwd, 'event-digest.config.yaml'), 'utf8');
  // "#key: value" and "#  nested: value" are settings; "# words" is documentation.
  const uncommented = text.replace(/^#(?=\S)/gm, '').replace(/^#( {2,})/gm, '$1');
  const all = parse(uncommented) as Record<string, unknown>;
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  for (const path of keyPaths(configSchema.shape as Record<string, unknown>)) {
    const [top, ...rest] = path.split('.');
    const value = rest.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], all[top]);
    assert.notEqual(value, undefined, `${path} is in the file`);
  }
  for (const key of Object.keys(configSchema.shape)) {
    // A doc line right above each key, naming the default.
    const at = text.split('\n').findIndex((l) => new RegExp(`^#?${key}:`).test(l));
    assert.match(text.split('\n')[at - 1], /^# .+default: /, `${key} has its line`);
    if (new RegExp(`^${key}:`, 'm').test(text)) continue; // set on purpose (listName, from, timezone, events, postalAddress)
    const d = defaults[key];
    if (d === undefined) continue; // optional, shown as an example (smtp, secret, dkim…)
    // An object's optional parts (scheduler.review) are examples too: its defaults must match.
    const shown = d !== null && typeof d === 'object' && !Array.isArray(d) ? Object.fromEntries(Object.keys(d).map((k) => [k, (all[key] as Record<string, unknown>)[k]])) : all[key];
    assert.deepEqual(shown, d, `${key}: the default shown is the default`);
  }
  // Every key with an environment variable names it.
  for (const env of Object.keys(envVars)) {
    assert.ok(text.includes(`[${env}`), env);
  }
  // Uncommented, the whole file is a valid configuration.
  assert.ok(configSchema.safeParse(all).success);
});

test('init overwrites nothing: with any of its files present it writes none and says which', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ed-init-'));
  writeFileSync(join(cwd, 'events.yaml'), 'events: []\n');
  const r = cli(cwd, ['init']);
  assert.equal(r.code, 2);
  assert.equal(r.err, `event-digest: ${join(cwd, 'events.yaml')} already exists; init overwrites nothing (nothing was written)`);
  assert.equal(readFileSync(join(cwd, 'events.yaml'), 'utf8'), 'events: []\n');
  assert.ok(!existsSync(join(cwd, 'event-digest.config.yaml')) && !existsSync(join(cwd, 'subscribers.csv')));
  // A broken configuration in the folder does not stop init elsewhere.
  writeFileSync(join(cwd, 'event-digest.config.yaml'), 'bogus: [\n');
  assert.equal(cli(cwd, ['init', 'fresh']).code, 0);
});
