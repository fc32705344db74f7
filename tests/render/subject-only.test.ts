// The issue's subject without the entries' views (digestSubject) is the subject the whole view has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { buildDigestView, digestSubject } from '../../src/render/digest-view.ts';
import { event } from '../helpers/events.ts';
import { SETTINGS, seedEvents } from '../helpers/render.ts';

const SUBJECTS = ['{{highlights}} ({{period}})', '{{listName}}: {{summary}}, {{windowWithYear}}', 'This week: {{window}} {{unknown}}'];

test('digestSubject is the subject of the whole view, for any week, zone, kinds and subject template', () => {
  // The seed, plus a week of many same-day events whose highlights must be cut, and a title holding a template key.
  const events = [
    ...seedEvents(),
    ...Array.from({ length: 12 }, (_, i) => event({ id: `many-${i}`, kind: i % 3 ? 'action' : 'webinar', title: `Meeting {{period}} ${i}`, start: `2016-12-0${1 + (i % 3)}T1${i % 10}:00`, end: `2016-12-0${1 + (i % 3)}T1${i % 10}:30`, location: { venue: 'Hall', city: 'Columbus' } })),
  ];
  let compared = 0;
  for (const asOf of ['2016-11-14', '2016-11-28', '2016-12-12', '2017-03-06']) {
    const selection = selectWindow(events, windowFor(asOf, 3, 'America/New_York'), { kinds: ['conference'], months: 6 });
    for (const zone of ['America/New_York', 'Pacific/Auckland', 'America/Los_Angeles']) {
      for (const kinds of [[], ['webinar'], ['action', 'conference']]) {
        for (const subject of SUBJECTS) {
          const settings = { ...SETTINGS, subject };
          const variant = { zone, kinds };
          assert.equal(digestSubject(selection, variant, settings), buildDigestView(selection, variant, settings).subject, `${asOf} ${zone} ${kinds.join(',')} ${subject}`);
          compared++;
        }
      }
    }
  }
  assert.equal(compared, 4 * 3 * 3 * 3);
});

test('digestSubject refuses a variant with a place (its entries depend on the place layer)', () => {
  const selection = selectWindow(seedEvents(), windowFor('2016-11-28', 3, 'America/New_York'), { kinds: ['conference'], months: 6 });
  assert.throws(() => digestSubject(selection, { zone: 'America/New_York', kinds: [], near: { lat: 40, lon: -83, radius: 25, name: 'Columbus, OH' } }, SETTINGS), /place/);
});
