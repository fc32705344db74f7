// The corpus: real calendars from public libraries' test data, read by us and by an ical.js-based
// reference (reference-reader.ts), compared occurrence by occurrence over chosen windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expandOccurrences } from '../../../src/calendar/occurrence.ts';
import { windowFor } from '../../../src/calendar/window.ts';
import { loadIcsText } from '../../../src/events/ics/load.ts';
import { validateEvents } from '../../../src/events/rules/index.ts';
import { referenceOccurrences, type RefOccurrence } from './reference-reader.ts';

const ROOT = new URL('../../fixtures/real-world/', import.meta.url);
/** The list's zone: floating times of files that name none. */
const LIST_ZONE = 'America/New_York';
const WEEKS = 6;
const KINDS = ['event'];

interface CorpusFile {
  file: string;
  repository: string;
  path: string;
  commit: string;
  licence: string;
  /** First days (Mondays) of the windows compared, in LIST_ZONE. */
  windows: string[];
  /** Why this file is allowed not to match (listed in the corpus README). */
  exception?: string;
}

const corpus: CorpusFile[] = JSON.parse(readFileSync(new URL('corpus.json', ROOT), 'utf8'));

function ours(text: string, path: string, startDate: string): RefOccurrence[] {
  // A feed's policy: events that cannot be read are skipped (the loader and the rules leave them out), the rest are listed.
  const loaded = loadIcsText(text, path, { listTimezone: LIST_ZONE, kinds: KINDS, defaultKind: 'event' });
  const { valid } = validateEvents(loaded.events, { kinds: KINDS, nowMs: 0 });
  const win = windowFor(startDate, WEEKS, LIST_ZONE);
  return valid.flatMap((e) =>
    expandOccurrences(e, win).map((o) => ({
      // An event without UID gets an id from its content; the reference knows it as having none.
      uid: e.source.uid === undefined || e.source.uid.startsWith('no-uid-') ? '' : e.source.uid,
      title: o.title,
      allDay: o.allDay,
      start: o.allDay ? o.start : new Date(o.startMs).toISOString(),
      end: o.allDay ? o.end : new Date(o.endMs).toISOString(),
    })),
  );
}

const key = (o: RefOccurrence) => `${o.allDay ? 'day ' : ''}${o.start} – ${o.end} ${JSON.stringify(o.title)} ${o.uid}`;

/** Occurrences only one side lists, as readable lines; empty when both agree. */
function differences(a: RefOccurrence[], b: RefOccurrence[]): string[] {
  const count = new Map<string, number>();
  for (const o of a) count.set(key(o), (count.get(key(o)) ?? 0) + 1);
  for (const o of b) count.set(key(o), (count.get(key(o)) ?? 0) - 1);
  return [...count].filter(([, n]) => n !== 0).map(([k, n]) => `${n > 0 ? 'only ours' : 'only reference'}: ${k}`).sort();
}

function compareFile(f: CorpusFile): { windows: number; occurrences: number; problems: string[] } {
  const text = readFileSync(new URL(f.file, ROOT), 'utf8');
  const problems: string[] = [];
  let occurrences = 0;
  for (const start of f.windows) {
    const mine = ours(text, f.file, start);
    const ref = referenceOccurrences(text, { ...windowDates(start), zone: LIST_ZONE }, LIST_ZONE);
    occurrences += ref.length;
    for (const d of differences(mine, ref)) problems.push(`${start}: ${d}`);
  }
  return { windows: f.windows.length, occurrences, problems };
}

function windowDates(start: string): { startDate: string; endDate: string } {
  const w = windowFor(start, WEEKS, LIST_ZONE);
  return { startDate: w.startDate, endDate: w.endDate };
}

test(`the corpus: at least 95% of ${corpus.length} real calendars match the reference occurrence by occurrence (TZ=${process.env.TZ ?? 'unset'})`, () => {
  let matching = 0;
  const report: string[] = [];
  for (const f of corpus) {
    const r = compareFile(f);
    const ok = r.problems.length === 0;
    if (ok) matching++;
    report.push(`${ok ? 'match' : f.exception ? 'EXCEPTION' : 'DIFFERS'}  ${f.file} (${r.windows} windows, ${r.occurrences} occurrences)`);
    if (!ok) report.push(...r.problems.slice(0, 8).map((p) => `    ${p}`));
    // A file listed as an exception must still be one; a file not listed must match.
    if (f.exception) assert.ok(!ok, `${f.file} matches now: take it off the exceptions (${f.exception})`);
  }
  const summary = `${matching} of ${corpus.length} files match under TZ=${process.env.TZ ?? 'unset'}`;
  console.log([...report, summary].join('\n'));
  const unexpected = report.filter((l) => l.startsWith('DIFFERS'));
  assert.deepEqual(unexpected, [], summary);
  assert.ok(matching >= Math.ceil(corpus.length * 0.95), summary);
});

test('the corpus README names every file with its source and every exception; every file has a licence and an entry', () => {
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
  const exceptions = readme.slice(readme.indexOf('## Exceptions'));
  for (const f of corpus) {
    const name = f.file.split('/').slice(1).join('/');
    assert.ok(readme.includes(`| \`${name}\` | \`${f.path}\` |`), `README lists ${f.file} and its path`);
    assert.ok(readme.includes(`[${f.repository}](https://github.com/${f.repository}) at \`${f.commit.slice(0, 12)}\``), `README names ${f.repository} at its commit`);
    assert.ok(existsSync(new URL(f.licence, ROOT)), `${f.licence} is there`);
    assert.equal(exceptions.includes(`\`${f.file}\`: ${f.exception ?? ''}`), f.exception !== undefined, `${f.file}: listed under Exceptions exactly when it is one`);
  }
  const onDisk = readdirSync(ROOT, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.ics')).map((p) => p.replaceAll('\\', '/')).sort();
  assert.deepEqual(onDisk, corpus.map((f) => f.file).sort());
  assert.ok(corpus.length >= 40, `${corpus.length} files`);
});
