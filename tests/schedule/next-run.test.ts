// The schedule's times from node-cron's parse, in the list's zone, across daylight-saving changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextRun, previousRun } from '../../src/schedule/next-run.ts';

const iso = (d: { toISO(): string | null } | undefined) => d?.toISO() ?? null;

test('Monday 08:00 in New York stays 08:00 local across both DST changes', () => {
  assert.equal(iso(nextRun('0 8 * * 1', 'America/New_York', new Date('2016-11-01T00:00:00Z'))), '2016-11-07T08:00:00.000-05:00');
  assert.equal(iso(nextRun('0 8 * * 1', 'America/New_York', new Date('2016-10-25T00:00:00Z'))), '2016-10-31T08:00:00.000-04:00');
  assert.equal(iso(nextRun('0 8 * * 1', 'America/New_York', new Date('2017-03-07T00:00:00Z'))), '2017-03-13T08:00:00.000-04:00');
  assert.equal(iso(nextRun('0 8 * * 1', 'Europe/Berlin', new Date('2016-10-25T00:00:00Z'))), '2016-10-31T08:00:00.000+01:00');
});

test('strictly after: a time equal to a run gives the following one', () => {
  assert.equal(iso(nextRun('0 8 * * 1', 'America/New_York', new Date('2016-11-28T13:00:00Z'))), '2016-12-05T08:00:00.000-05:00');
});

test('a time in the spring-forward gap is skipped that day, as node-cron does', () => {
  assert.equal(iso(nextRun('30 2 * * *', 'America/New_York', new Date('2017-03-12T05:00:00Z'))), '2017-03-13T02:30:00.000-04:00');
});

test('previous run: the latest at or before, for weekly, every-minute and monthly schedules', () => {
  assert.equal(iso(previousRun('0 8 * * 1', 'America/New_York', new Date('2016-11-28T13:00:00Z'))), '2016-11-28T08:00:00.000-05:00');
  assert.equal(iso(previousRun('0 8 * * 1', 'America/New_York', new Date('2016-11-28T12:59:59Z'))), '2016-11-21T08:00:00.000-05:00');
  assert.equal(iso(previousRun('* * * * *', 'UTC', new Date('2016-11-28T13:00:30Z'))), '2016-11-28T13:00:00.000Z');
  assert.equal(iso(previousRun('0 9 1 * *', 'UTC', new Date('2016-11-28T13:00:00Z'))), '2016-11-01T09:00:00.000Z');
});

test('a bad expression is a configuration error that names it', () => {
  assert.throws(() => nextRun('every monday', 'UTC', new Date()), /schedule: 'every monday' is not a cron expression/);
});

test('an every-second schedule (six fields)', () => {
  assert.equal(iso(previousRun('* * * * * *', 'UTC', new Date('2016-11-28T13:00:30.500Z'))), '2016-11-28T13:00:30.000Z');
  assert.equal(iso(nextRun('* * * * * *', 'UTC', new Date('2016-11-28T13:59:59.000Z'))), '2016-11-28T14:00:00.000Z');
});
