// The cached offsets and the wall times and ISO strings written without luxon equal what luxon gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { zoneFor } from '../../src/calendar/zones.ts';
import { instantToDate, instantToIso, instantToWall, isLocalDate, normalizeLocalDateTime, wallToInstantMs } from '../../src/calendar/wall-time.ts';

const ZONES = ['America/New_York', 'America/St_Johns', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Europe/London', 'America/Sao_Paulo', 'Africa/Monrovia', 'UTC'];
const HOUR = 3_600_000;

/** Whole-second instants: every hour across two years around a change of rules, and some scattered over two centuries. */
function instants(): number[] {
  const out: number[] = [];
  for (let t = Date.UTC(2006, 0, 1); t < Date.UTC(2008, 0, 1); t += HOUR) out.push(t, t + 1_799_000);
  let x = 12345;
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(Date.UTC(1900, 0, 1) + Math.floor((x / 2147483648) * 200 * 365.25 * 24 * 3600) * 1000);
  }
  return out;
}

describe('wall times and offsets', () => {
  it('instantToIso, instantToWall and instantToDate equal luxon, across transitions and historic offsets', () => {
    for (const zone of ZONES) {
      for (const ms of instants()) {
        // As the events' zones are made (zones.ts): 'UTC' is an IANA zone there, written +00:00.
        const dt = DateTime.fromMillis(ms, { zone: zoneFor(zone) });
        assert.equal(instantToIso(ms, zone), dt.toISO({ suppressMilliseconds: true }), `${zone} ${ms}`);
        assert.equal(instantToWall(ms, zone), dt.toFormat("yyyy-MM-dd'T'HH:mm:ss"), `${zone} ${ms}`);
        assert.equal(instantToDate(ms, zone), dt.toISODate(), `${zone} ${ms}`);
      }
    }
  });

  it('offsets are asked by blocks of days, and a week of summer time inside one is still seen (Recife, October 2000)', () => {
    // A fresh zone for the cache, asked first in the middle of that week, then every hour around it.
    const zone = 'America/Recife';
    const week = [Date.UTC(2000, 9, 12, 12), ...Array.from({ length: 40 * 24 }, (_, h) => Date.UTC(2000, 8, 25) + h * HOUR)];
    for (const ms of week) {
      const dt = DateTime.fromMillis(ms, { zone: zoneFor(zone) });
      assert.equal(instantToIso(ms, zone), dt.toISO({ suppressMilliseconds: true }), `${zone} ${dt.toISO()}`);
      const wall = dt.toFormat("yyyy-MM-dd'T'HH:mm:ss");
      // Back to the same wall time (at the fall-back, the first of its two instants: RFC 5545 3.3.5, where luxon takes the second).
      assert.equal(instantToWall(wallToInstantMs(wall, zone), zone), wall, `${zone} ${wall}`);
    }
    assert.equal(instantToIso(Date.UTC(2000, 9, 12, 12), zone), '2000-10-12T10:00:00-02:00');
  });

  it('dates and wall times are checked as luxon checks them', () => {
    const luxonWall = (s: string) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
      if (!m) return undefined;
      const dt = DateTime.fromObject({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] ? +m[6] : 0 }, { zone: 'UTC' });
      return dt.isValid ? dt.toFormat("yyyy-MM-dd'T'HH:mm:ss") : undefined;
    };
    for (const d of ['2016-02-29', '2015-02-29', '2000-02-29', '1900-02-29', '2016-04-31', '2016-13-01', '2016-00-10', '2016-12-00', '0000-01-01', '9999-12-31']) {
      assert.equal(isLocalDate(d), DateTime.fromISO(d, { zone: 'UTC' }).isValid, d);
      for (const t of ['T00:00', 'T23:59:59', 'T24:00', 'T24:00:00', 'T24:01', 'T12:60', 'T12:00:60', ' 07:30']) {
        assert.equal(normalizeLocalDateTime(d + t), luxonWall(d + t), d + t);
      }
    }
  });
});
