// The "when" lines' English formats written out, held equal to luxon's en-US toFormat for the same tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime, FixedOffsetZone } from 'luxon';
import { offsetAt } from '../../src/calendar/wall-time.ts';
import { clock, fullYear, localAt, localDate, meridiem, month, monthDay, sameDay, time, weekday, weekdayDate, weekdayLong } from '../../src/render/english-time.ts';

const EN = { locale: 'en-US' };
const ZONES = ['America/New_York', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'UTC', 'Africa/Abidjan', 'Europe/Amsterdam'];

/** A seeded walk over instants from 1850 to 2060: historic local mean times, half hours, DST changes. */
function* instants(n: number): Generator<number> {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const from = Date.UTC(1850, 0, 1);
  const to = Date.UTC(2060, 0, 1);
  for (let i = 0; i < n; i++) yield Math.floor(from + next() * (to - from));
}

test('instants: every format and field as luxon gives them in a fixed zone of the offset', () => {
  for (const ms of instants(4000)) {
    for (const zone of ZONES) {
      const dt = DateTime.fromMillis(ms, { zone: FixedOffsetZone.instance(offsetAt(ms, zone)), ...EN });
      const l = localAt(ms, zone);
      const at = `${new Date(ms).toISOString()} in ${zone}`;
      assert.equal(time(l), dt.toFormat('h:mm a'), at);
      assert.equal(clock(l), dt.toFormat('h:mm'), at);
      assert.equal(meridiem(l), dt.toFormat('a'), at);
      assert.equal(weekdayDate(l), dt.toFormat('ccc, LLL d'), at);
      assert.equal(`${monthDay(l)}, ${fullYear(l)}`, dt.toFormat('LLL d, yyyy'), at);
      assert.equal(l.offset, dt.offset, at);
      const later = localAt(ms + 9 * 3_600_000, zone);
      const laterDt = DateTime.fromMillis(ms + 9 * 3_600_000, { zone: FixedOffsetZone.instance(offsetAt(ms + 9 * 3_600_000, zone)), ...EN });
      assert.equal(sameDay(l, later), dt.hasSame(laterDt, 'day'), at);
    }
  }
});

test('dates: every format as luxon gives it for the date in UTC', () => {
  for (const ms of instants(3000)) {
    const d = new Date(ms).toISOString().slice(0, 10);
    const dt = DateTime.fromISO(d, { zone: 'UTC', ...EN });
    const l = localDate(d);
    assert.equal(weekdayDate(l), dt.toFormat('ccc, LLL d'), d);
    assert.equal(`${weekdayDate(l)}, ${fullYear(l)}`, dt.toFormat('ccc, LLL d, yyyy'), d);
    assert.equal(monthDay(l), dt.toFormat('LLL d'), d);
    assert.equal(month(l), dt.toFormat('LLL'), d);
    assert.equal(weekday(l), dt.toFormat('ccc'), d);
    assert.equal(weekdayLong(l), dt.toFormat('cccc'), d);
    assert.equal(l.day, dt.day, d);
    assert.equal(l.year, dt.year, d);
  }
  // Not a plain date: read by luxon as before.
  assert.equal(monthDay(localDate('2016-12-06T10:00:00')), 'Dec 6');
});
