// The load bench's generator (bench/big-calendar.ts): its 10,000 events read the same through ICS and YAML.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bigCalendarIcs, bigCalendarYaml, bigEvents } from '../../bench/big-calendar.ts';
import { selectWindow, selectionToJson } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { loadCalendar } from '../../src/events/sources.ts';

const KINDS = ['action', 'webinar', 'conference'];
const NOW = Date.parse('2016-11-27T13:00:00Z');

describe('the big bench calendar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-big-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const events = bigEvents(10_000);
  writeFileSync(join(dir, 'big.ics'), bigCalendarIcs(events));
  writeFileSync(join(dir, 'big.yaml'), bigCalendarYaml(events));
  const load = (file: string) => loadCalendar([file], { cwd: dir, listTimezone: 'America/New_York', kinds: KINDS, defaultKind: 'action', nowMs: NOW });

  it('is the same for the same seed, and another for another seed', () => {
    assert.equal(bigCalendarYaml(bigEvents(10_000)), bigCalendarYaml(events));
    assert.notEqual(bigCalendarYaml(bigEvents(100, 7)), bigCalendarYaml(events.slice(0, 100)));
  });

  it('loads without errors and selects the same occurrences from ICS and from YAML', async () => {
    const [ics, yaml] = await Promise.all([load('big.ics'), load('big.yaml')]);
    for (const loaded of [ics, yaml]) {
      assert.deepEqual(loaded.findings.filter((f) => f.severity === 'error'), []);
      assert.equal(loaded.calendar.events.length, 10_000);
    }
    // The same warnings (series in the past) on the same events, whatever the format.
    const messages = (l: typeof ics) => l.findings.map((f) => f.message.replace(/^event UID [^:]+: /, '')).sort();
    assert.deepEqual(messages(ics), messages(yaml));
    const win = windowFor('2016-11-28', 3, 'America/New_York');
    const policy = { kinds: ['conference'], months: 6, maxInstancesPerEvent: 500 };
    const [a, b] = [ics, yaml].map((l) => selectionToJson(selectWindow(l.calendar.events, win, policy)));
    assert.ok(a.occurrences.length > 300, `${a.occurrences.length} occurrences in the window`);
    const recurring = new Set(events.filter((e) => e.rrule).map((e) => e.id));
    assert.ok(a.occurrences.some((o) => o.allDay) && a.occurrences.some((o) => recurring.has(o.eventId)), 'all-day and recurring occurrences among them');
    assert.deepEqual(a, b);
  });
});
