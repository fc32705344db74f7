// Change badges: each occurrence of the next issue against the snapshot of the previous sent issue.
import type { Selection } from '../calendar/select.ts';
import type { Calendar } from '../events/model.ts';
import { currentOccurrence, differences } from './current.ts';
import type { ChangeSet, IssueSnapshot, OccurrenceChange } from './model.ts';
import { listedItems, occurrenceKey } from './snapshot.ts';

/**
 * - `changed`: listed last time under the same key (event and original start), with a different start,
 *   end, place or title; `was` holds the old values of those fields.
 * - `new`: not listed last time, and either its event was not in the calendar then, or it falls in the
 *   previous window (so it would have been listed). An event that existed but lay beyond the last
 *   window is only now coming into view: no badge.
 * - `cancelled`: listed last time, still inside this window by its old time, and now cancelled or gone
 *   (an instance moved out of the window is a correction's business, not a badge).
 */
export function compareWithSnapshot(selection: Selection, calendar: Calendar, previous: { windowStart: string; windowEndMs: number; snapshot: IssueSnapshot }): ChangeSet {
  const before = new Map(listedItems(previous.snapshot).map((i) => [i.key, i]));
  const known = new Set(previous.snapshot.calendarIds);
  const byKey = new Map<string, OccurrenceChange>();
  const present = new Set<string>();
  for (const o of selection.occurrences) {
    const key = occurrenceKey(o);
    present.add(key);
    const was = before.get(key);
    if (was) {
      const diff = differences(was, o);
      if (diff) byKey.set(key, { change: 'changed', was: diff, before: was });
    } else if (!known.has(o.eventId) || o.startMs < previous.windowEndMs) {
      byKey.set(key, { change: 'new' });
    }
  }
  const win = selection.window;
  const events = new Map(calendar.events.map((e) => [e.id, e]));
  const cancelled = [...before.values()].filter(
    (i) => !present.has(i.key) && i.startMs >= win.startMs && i.startMs < win.endMs && currentOccurrence(events, i) === undefined,
  );
  return { since: previous.windowStart, byKey, cancelled };
}

/** The `change` and `was` fields `select --json` adds to an occurrence. */
export function changeFields(changes: ChangeSet | undefined, key: string): { change: OccurrenceChange['change'] | null; was?: OccurrenceChange['was'] } {
  const c = changes?.byKey.get(key);
  return c ? { change: c.change, ...(c.was ? { was: c.was } : {}) } : { change: null };
}
