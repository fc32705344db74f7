// The words of the change badges, in the reader's zone: "New", "Changed: was Tue, Dec 6, 2:00 PM EST", a cancelled line.
import { DateTime } from 'luxon';
import type { Selection } from '../calendar/select.ts';
import type { ChangeSet, OccurrenceChange, SnapshotItem, Was } from './model.ts';
import { itemOf, occurrenceKey } from './snapshot.ts';

export const NEW_BADGE = 'New';

/** "Tue, Dec 6, 2:00 PM EST" in the reader's zone; "Tue, Dec 6" for an all-day date. */
export function pointText(iso: string, readerZone: string): string {
  if (iso.length === 10) return DateTime.fromISO(iso, { zone: 'UTC', locale: 'en-US' }).toFormat('ccc, LLL d');
  return DateTime.fromISO(iso, { setZone: true }).setZone(readerZone).setLocale('en-US').toFormat('ccc, LLL d, h:mm a ZZZZ');
}

/** What an occurrence was before it changed, the "Changed:" label left to the template: "was Tue, Dec 6, 2:00 PM EST at Hall A". */
export function wasText(was: Was, readerZone: string): string {
  const parts: string[] = [];
  if (was.title !== undefined) parts.push(`“${was.title}”`);
  if (was.start !== undefined) parts.push(pointText(was.start, readerZone));
  else if (was.end !== undefined) parts.push(`ending ${pointText(was.end, readerZone)}`);
  if (was.location !== undefined) parts.push(was.location === null ? 'with no place given' : `at ${was.location}`);
  return `was ${parts.join(' ')}`;
}

/** A cancelled occurrence as the previous issue listed it: "Tue, Dec 6, 2:00 PM EST". */
export function cancelledWhen(item: SnapshotItem, readerZone: string): string {
  return pointText(item.start, readerZone);
}

/** The badge and "was" lines of an entry (a series once): New when every occurrence in it is new. */
export function entryBadges(changes: readonly (OccurrenceChange | undefined)[], readerZone: string, showChanged: boolean): { badge?: string; was: string[] } {
  const badge = changes.length > 0 && changes.every((c) => c?.change === 'new') ? NEW_BADGE : undefined;
  const was = showChanged ? changes.filter((c) => c?.change === 'changed' && c.was).map((c) => wasText(c!.was!, readerZone)) : [];
  return { ...(badge ? { badge } : {}), was };
}

/** The organizers' "changes since the last issue": one line per badged occurrence, by start, in a zone. */
export function changeList(selection: Selection, changes: ChangeSet, zone: string): string[] {
  const lines: { at: number; text: string }[] = [];
  for (const o of selection.occurrences) {
    const c = changes.byKey.get(occurrenceKey(o));
    if (!c) continue;
    const when = pointText(itemOf(o).start, zone);
    lines.push({ at: o.startMs, text: c.change === 'new' ? `New: ${o.title}, ${when}` : `Changed: ${o.title}, ${when}; ${wasText(c.was ?? {}, zone)}` });
  }
  for (const c of changes.cancelled) lines.push({ at: c.startMs, text: `Cancelled: ${c.title}, ${cancelledWhen(c, zone)}` });
  return lines.sort((a, b) => a.at - b.at).map((l) => l.text);
}
