// The reader's fast path for a line without parameters gives exactly what ical.js's parser gives, or leaves the line to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { plainProperty } from '../../../src/events/ics/reader.ts';
import { contentLines } from '../../../src/events/ics/scan.ts';
import { bigCalendarIcs, bigEvents } from '../../../bench/big-calendar.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

function* icsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* icsFiles(join(dir, e.name));
    else if (e.name.endsWith('.ics')) yield join(dir, e.name);
  }
}

/** What a parse gives, or the message it throws (the reader reports it as the line's problem). */
const outcome = (parse: () => unknown) => {
  try {
    return parse();
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
};

function sameAsIcal(lines: Iterable<string>): number {
  let fast = 0;
  for (const line of lines) {
    const mine = outcome(() => plainProperty(line));
    if (mine === undefined) continue;
    fast++;
    assert.deepEqual(mine, outcome(() => ICAL.parse.property(line)), line);
  }
  return fast;
}

test('every content line of the fixtures (the real-world corpus too) and of a bench calendar: as ical.js parses it', () => {
  const lines: string[] = [];
  for (const file of icsFiles(FIXTURES)) for (const { text } of contentLines(readFileSync(file, 'utf8'))) lines.push(text);
  for (const { text } of contentLines(bigCalendarIcs(bigEvents(300)))) lines.push(text);
  const fast = sameAsIcal(lines);
  assert.ok(fast > 1000, `${fast} of ${lines.length} lines took the fast path`);
});

test('odd lines: escapes, empty values, colons in the value, names ical.js does not know, and what is left to the parser', () => {
  const fast = sameAsIcal([
    'SUMMARY:a\\, b\\; c\\\\ d\\n e\\N f',
    'SUMMARY:',
    'DESCRIPTION:see https://example.org:8080/x;y=1',
    'X-UNKNOWN:value\\, kept',
    'x-lower:v',
    'UID:abc:def',
    'DTSTAMP:20161101T120000Z',
    'SEQUENCE:3',
    'GEO:40.1;-83.2',
    'CATEGORIES:a,b\\,c',
    'RRULE:FREQ=DAILY;COUNT=2',
    'RRULE:FREQ=WEEKLY;BYDAY= TU',
    'DTSTAMP:not a time',
    'DTSTART:20161101T120000Z',
    'SUMMARY;LANGUAGE=en:hello',
    'CONSTRUCTOR:x',
    'TOSTRING:x',
    'A.B:x',
    'SUMMARY :spaced name',
  ]);
  assert.ok(fast >= 8, `${fast}`);
  // Left to ical.js: parameters, lists, structured values, types it detects.
  for (const line of ['SUMMARY;LANGUAGE=en:hello', 'CATEGORIES:a,b', 'GEO:40.1;-83.2', 'BEGIN:VEVENT', 'NO COLON']) {
    assert.equal(plainProperty(line), undefined, line);
  }
});
