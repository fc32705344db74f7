// The content lines the scanner reads: unfolded, each with its first physical line, as RFC 5545 §3.1 splits them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentLines } from '../../../src/events/ics/scan.ts';

const lines = (text: string) => [...contentLines(text)].map(({ line, text: t }) => [line, t]);

test('content lines end at LF or CRLF; a lone CR stays in its line; a BOM is dropped', () => {
  assert.deepEqual(lines('\uFEFFBEGIN:VCALENDAR\r\nA:1\nB:2\rC\r\n'), [
    [1, 'BEGIN:VCALENDAR'],
    [2, 'A:1'],
    [3, 'B:2\rC'],
  ]);
  assert.deepEqual(lines('A:1\r\r\nB:2\r'), [
    [1, 'A:1\r'],
    [2, 'B:2\r'],
  ]);
  assert.deepEqual(lines(''), []);
  assert.deepEqual(lines('\n \n\t\n'), [], 'blank lines and lone continuations of nothing');
});

test('a continuation line (space or tab) joins the last content line, across blank lines, keeping its first line number', () => {
  assert.deepEqual(lines('A:one\r\n two\r\n\tthree\r\n\r\n four\r\nB:x\r\n'), [
    [1, 'A:onetwothreefour'],
    [6, 'B:x'],
  ]);
  assert.deepEqual(lines(' lead:x\nB:y'), [
    [1, ' lead:x'],
    [2, 'B:y'],
  ]);
});
