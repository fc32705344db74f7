// The rrule.js wrapper: moving DTSTART forward (for speed) gives exactly what rrule.js gives walking from the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import rrulePkg from 'rrule';
import { wallInstances } from '../../src/calendar/recurrence.ts';
import { wallToFloatingMs } from '../../src/calendar/wall-time.ts';
import { event } from '../helpers/events.ts';

const { RRule } = rrulePkg;
const DAY = 86_400_000;

const RULES = [
  'FREQ=DAILY',
  'FREQ=DAILY;INTERVAL=3',
  'FREQ=DAILY;BYDAY=MO,WE,FR',
  'FREQ=WEEKLY',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
  'FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,MO;WKST=SU',
  'FREQ=MONTHLY',
  'FREQ=MONTHLY;BYMONTHDAY=31',
  'FREQ=MONTHLY;INTERVAL=2;BYDAY=1TH',
  'FREQ=MONTHLY;BYDAY=-1FR',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  'FREQ=YEARLY',
  'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
  'FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29',
  'FREQ=WEEKLY;BYDAY=SA;UNTIL=20271231T190000',
  'FREQ=DAILY;COUNT=400',
  'FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=30',
  'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=25',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;WKST=SU;COUNT=40',
  'FREQ=MONTHLY;BYDAY=5SA',
  'FREQ=MONTHLY;BYDAY=1MO,-1MO',
  'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=30',
  'FREQ=DAILY;INTERVAL=2;BYDAY=SA,SU;UNTIL=20260101T000000',
  'FREQ=MONTHLY;BYDAY=TU',
  'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
];

test('every rule shape (the computed ones and those left to rrule.js): instances in many windows equal a plain rrule.js walk from DTSTART', () => {
  const start = '2023-01-31T19:00:00';
  const startF = wallToFloatingMs(start);
  for (const r of RULES) {
    const ev = event({ start, end: '2023-01-31T20:00:00', recurrence: { rrule: r, exdates: [], rdates: [] } });
    const reference = new RRule({ ...RRule.parseString(r.replace('UNTIL=20271231T190000', 'UNTIL=20271231T190000Z')), dtstart: new Date(startF), tzid: null });
    for (let from = startF - 40 * DAY; from < startF + 5 * 365 * DAY; from += 47 * DAY + 3_600_000) {
      const to = from + 21 * DAY;
      const expected = new Set(reference.between(new Date(from), new Date(to), true).map((d) => d.getTime()));
      // DTSTART is always an instance (RFC 5545), even where rrule.js would not list it.
      if (startF >= from && startF <= to) expected.add(startF);
      const got = wallInstances(ev, from, to).instances.map((i) => i.startF);
      assert.deepEqual(got, [...expected].sort((a, b) => a - b), `${r} from ${new Date(from).toISOString()}`);
    }
  }
});
