// Zones as the file defines them, on real exports: the VTIMEZONE wins over tzdata, display names and escapes resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { selectWindow, selectionToJson } from '../../../src/calendar/select.ts';
import { windowFor } from '../../../src/calendar/window.ts';
import { loadIcsText } from '../../../src/events/ics/load.ts';
import { validateEvents } from '../../../src/events/rules/index.ts';

function select(file: string, asOf: string, weeks = 1) {
  const text = readFileSync(new URL(`../../fixtures/real-world/${file}`, import.meta.url), 'utf8');
  const loaded = loadIcsText(text, file, { listTimezone: 'UTC', kinds: ['action'], defaultKind: 'action' });
  const { findings, valid } = validateEvents(loaded.events, { kinds: ['action'], nowMs: 0 });
  const errors = [...loaded.findings, ...findings].filter((f) => f.severity === 'error');
  return { errors, json: selectionToJson(selectWindow(valid, windowFor(asOf, weeks, 'UTC'), { kinds: [], months: 0 })) };
}

test("an old Apple export of America/Anchorage keeps its own rules (DST from April): the file's VTIMEZONE wins, the IANA name is shown", () => {
  // tzdata has Alaska on daylight time from 11 March 2007; the file still has the pre-2007 rules.
  const { errors, json } = select('ical4j/Earth32Seasons.ics', '2007-03-19');
  assert.deepEqual(errors, []);
  const equinox = json.occurrences.find((o) => o.title === 'Vernal Equinox');
  // 15:07 AKST is 00:07Z on the 21st, when the equinox was; tzdata's AKDT would put it an hour early.
  assert.deepEqual([equinox?.start, equinox?.timezone], ['2007-03-20T15:07:00-09:00', 'America/Anchorage']);
});

test('Outlook display names with TEXT escapes resolve to the IANA zone they name', () => {
  const bangkok = select('node-ical/exchange-custom-tz.ics', '2019-04-29');
  assert.deepEqual(bangkok.errors, []);
  assert.deepEqual(bangkok.json.occurrences.map((o) => [o.start, o.timezone]), [['2019-04-30T09:00:00+07:00', 'Asia/Bangkok']]);
  const kualaLumpur = select('ical4j/2207678.ics', '2008-10-27');
  assert.deepEqual(kualaLumpur.errors, []);
  assert.deepEqual(kualaLumpur.json.occurrences.map((o) => [o.start, o.timezone]), [['2008-10-31T09:30:00+08:00', 'Asia/Kuala_Lumpur']]);
});

test('Exchange\'s "Customized Time Zone" and Lotus Notes\' "Eastern" are the zones their VTIMEZONEs define', () => {
  const exchange = select('node-ical/bad_ms_tz.ics', '2020-08-24');
  assert.deepEqual(exchange.errors, []);
  assert.deepEqual(exchange.json.occurrences.map((o) => [o.start, o.timezone]), [
    ['2020-08-25T10:35:00-04:00', 'Customized Time Zone'],
    ['2020-08-27T10:35:00-04:00', 'Customized Time Zone'],
  ]);
  const lotus = select('ical4j/calconnect.ics', '2005-04-11');
  assert.deepEqual(lotus.errors, []);
  assert.deepEqual(lotus.json.occurrences.map((o) => o.start), ['2005-04-11T09:00:00-04:00', '2005-04-12T09:00:00-04:00', '2005-04-13T09:00:00-04:00', '2005-04-14T09:00:00-04:00', '2005-04-15T09:00:00-04:00']);
  assert.ok(lotus.json.occurrences.every((o) => o.timezone === 'Eastern'));
});
