// check's findings: every problem in a file, each with its line, column and a message that says what.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatFinding, sortFindings } from '../../src/events/finding.ts';
import { loadYaml } from '../helpers/events.ts';

const lines = (text: string, opts: { path?: string; nowMs?: number } = {}) => sortFindings(loadYaml(text, opts).findings).map(formatFinding);

test('every bad event in a file is reported, each at its field, not only the first', () => {
  assert.deepEqual(lines(readFileSync('tests/fixtures/yaml/bad-events.yaml', 'utf8'), { path: 'bad.yaml' }), [
    'bad.yaml:2:5: error: missing title',
    'bad.yaml:5:5: error: missing start',
    "bad.yaml:10:5: error: unknown kind 'party' (known: action, webinar, conference)",
    "bad.yaml:16:5: error: unknown time zone 'America/Springfield'",
    'bad.yaml:21:5: error: end 2016-12-01T10:00:00 is before start 2016-12-02T10:00:00',
    'bad.yaml:27:7: error: recurrence: RRULE has no valid FREQ',
    "bad.yaml:35:9: error: link 'Click me': 'javascript:alert(1)' is not an http, https or mailto URL",
    "bad.yaml:36:9: warning: link 'Register here' has no address",
    "bad.yaml:37:5: error: duplicate id 'js-link' (first at bad.yaml:29)",
    "bad.yaml:42:5: warning: event 'No location' has no location",
    "bad.yaml:47:5: error: unknown field 'colour'",
    "bad.yaml:51:5: error: start: 'December 6' is not a date (YYYY-MM-DD) or a local date-time (YYYY-MM-DDTHH:MM)",
  ]);
});

test('an RRULE with a bad BYDAY, COUNT or no FREQ is an error at the rule; an unknown part a warning', () => {
  const text = (rule: string) => `events:\n  - title: T\n    start: 2016-12-01T10:00\n    location: Hall\n    recurrence:\n      rrule: "${rule}"\n`;
  assert.deepEqual(lines(text('FREQ=WEEKLY;BYDAY=XX')), ["events.yaml:6:7: error: recurrence: RRULE has an invalid BYDAY 'XX'"]);
  assert.deepEqual(lines(text('BYDAY=TU')), ['events.yaml:6:7: error: recurrence: RRULE has no FREQ']);
  // A part RFC 5545 does not define is ignored, as other readers do, with a warning.
  assert.deepEqual(lines(text('FREQ=WEEKLY;COLOR=RED')), ['events.yaml:6:7: warning: recurrence: RRULE part COLOR is not RFC 5545 and ignored']);
  assert.deepEqual(lines(text('FREQ=WEEKLY;COUNT=abc')), ['events.yaml:6:7: error: recurrence: RRULE has an invalid COUNT \'abc\'']);
});

test('URLs: only http, https and mailto; other schemes and relative ones are errors', () => {
  const text = (url: string) => `events:\n  - title: T\n    start: 2016-12-01T10:00\n    location: Hall\n    links:\n      - label: L\n        url: "${url}"\n`;
  for (const ok of ['https://example.org/x', 'http://example.org', 'mailto:someone@example.org']) assert.deepEqual(lines(text(ok)), [], ok);
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', '//example.org', 'example.org', 'ftp://example.org']) {
    assert.deepEqual(lines(text(bad)), [`events.yaml:7:9: error: link 'L': '${bad}' is not an http, https or mailto URL`], bad);
  }
});

test('events entirely in the past get a warning; a series that never ends does not', () => {
  const text = 'events:\n  - title: Old\n    start: 2016-12-01\n    location: Hall\n  - title: Forever\n    start: 2016-12-01T10:00\n    location: Hall\n    recurrence:\n      rrule: FREQ=WEEKLY\n';
  assert.deepEqual(lines(text, { nowMs: Date.parse('2026-11-27T12:00:00Z') }), ["events.yaml:2:5: warning: event 'Old' is entirely in the past (ended 2016-12-01)"]);
  assert.deepEqual(lines(text, { nowMs: Date.parse('2016-11-30T12:00:00Z') }), []);
});

test('malformed YAML and JSON are errors with the line and column of the fault', () => {
  assert.deepEqual(lines('events:\n  - title: "unterminated\n    start: 2016-12-01\n'), [
    'events.yaml:4:1: error: malformed YAML: Missing closing "quote',
  ]);
  assert.deepEqual(lines('{\n  "events": [\n    {"title": "A", "start": "2016-12-01",}\n  ]\n}\n', { path: 'events.json' }), [
    'events.json:3:42: error: malformed JSON: Expected double-quoted property name',
  ]);
});

test('JSON sources are located like YAML ones', () => {
  const json = JSON.stringify({ events: [{ title: 'A', start: '2016-12-01', location: 'Hall' }, { title: 'B', start: '2016-12-01', kind: 'gala', location: 'Hall' }] }, null, 2);
  assert.deepEqual(lines(json, { path: 'events.json' }), ["events.json:11:7: error: unknown kind 'gala' (known: action, webinar, conference)"]);
});

test('the seed calendar has no errors; its missing link addresses and allied calendar address are warnings', () => {
  const found = lines(readFileSync('data/events.yaml', 'utf8'), { path: 'data/events.yaml', nowMs: Date.parse('2016-11-28T12:00:00Z') });
  assert.ok(found.every((l) => l.includes(': warning: ')), found.join('\n'));
  assert.ok(found.some((l) => /warning: allied calendar 'Popular Resistance' has no address/.test(l)));
  assert.ok(found.some((l) => /warning: link 'Register here' has no address/.test(l)));
  assert.equal(found.length, 7);
});
