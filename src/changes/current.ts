// Where an occurrence an issue listed stands in the calendar now: the same, moved or retitled, or cancelled.
import { DateTime } from 'luxon';
import { expandEvent, type Occurrence } from '../calendar/occurrence.ts';
import { floatingToInstantMs, wallToFloatingMs } from '../calendar/wall-time.ts';
import type { Window } from '../calendar/window.ts';
import type { CalendarEvent } from '../events/model.ts';
import type { SnapshotItem, Was } from './model.ts';
import { itemOf } from './snapshot.ts';

const DAY = 86_400_000;

/** Three days around an instant, in UTC: enough for any offset between the event's zone and UTC. */
function around(ms: number): Window {
  const start = DateTime.fromMillis(ms - 2 * DAY, { zone: 'UTC' }).startOf('day');
  const end = start.plus({ days: 5 });
  return { startMs: start.toMillis(), endMs: end.toMillis(), zone: 'UTC', startDate: start.toISODate() as string, endDate: end.toISODate() as string };
}

const sameInstance = (a: string | undefined, b: string | undefined) => (a === undefined || b === undefined ? a === b : wallToFloatingMs(a) === wallToFloatingMs(b));

/** The occurrence the calendar now has for a listed one, or undefined when it is cancelled or gone. */
export function currentOccurrence(events: ReadonlyMap<string, CalendarEvent>, item: SnapshotItem): Occurrence | undefined {
  const ev = events.get(item.eventId);
  if (!ev || ev.status === 'cancelled') return undefined;
  let at = item.startMs;
  if (item.recurrenceId !== undefined) {
    const ov = ev.overrides.find((o) => sameInstance(o.recurrenceId, item.recurrenceId));
    if (ov?.status === 'cancelled') return undefined;
    // A moved instance is looked for where it went; any other where it was.
    if (ov?.start !== undefined) at = floatingToInstantMs(wallToFloatingMs(ov.start), ev.timezone);
  } else if (!ev.recurrence) {
    at = floatingToInstantMs(wallToFloatingMs(ev.start), ev.timezone);
  }
  return expandEvent(ev, around(at)).occurrences.find((o) => (item.recurrenceId === undefined ? !o.recurrenceId || ev.listAs === 'span' : sameInstance(o.recurrenceId, item.recurrenceId)));
}

/** The fields among start, end, location and title that differ (undefined when none does). */
export function differences(before: SnapshotItem, now: Occurrence): Was | undefined {
  const after = itemOf(now);
  const was: Was = {};
  if (after.start !== before.start) was.start = before.start;
  if (after.end !== before.end) was.end = before.end;
  if (after.location !== before.location) was.location = before.location;
  if (after.title !== before.title) was.title = before.title;
  return Object.keys(was).length > 0 ? was : undefined;
}

/** Moved in time or place: what a correction is about (a new title alone is not). */
export function movedInTimeOrPlace(was: Was | undefined): boolean {
  return was !== undefined && (was.start !== undefined || was.end !== undefined || 'location' in was);
}
