// Planning corrections: which occurrences of the last sent issue have since moved or been cancelled, and whose copy listed them.
import { createHash } from 'node:crypto';
import type { Calendar } from '../events/model.ts';
import type { IssueReader } from '../store/store.ts';
import { currentOccurrence, differences, movedInTimeOrPlace } from './current.ts';
import type { IssueSnapshot, SnapshotItem, Was } from './model.ts';
import { itemOf, listedItems } from './snapshot.ts';

export type CorrectionChange =
  | { kind: 'cancelled'; before: SnapshotItem }
  | { kind: 'moved'; before: SnapshotItem; now: Omit<SnapshotItem, 'change' | 'was'>; was: Was };

/** The issue's occurrences still ahead (by the time it gave) that are now cancelled or gone, or moved in time or place. */
export function findCorrections(snapshot: IssueSnapshot, calendar: Calendar, nowMs: number): CorrectionChange[] {
  const events = new Map(calendar.events.map((e) => [e.id, e]));
  const out: CorrectionChange[] = [];
  for (const before of listedItems(snapshot)) {
    if (before.startMs <= nowMs) continue;
    const now = currentOccurrence(events, before);
    if (!now) {
      out.push({ kind: 'cancelled', before });
      continue;
    }
    const was = differences(before, now);
    if (movedInTimeOrPlace(was)) out.push({ kind: 'moved', before, now: itemOf(now), was: was! });
  }
  return out;
}

/** One correction: the changes a set of readers' copies listed, and who they are. */
export interface CorrectionGroup {
  /** A digest of the changes (and where each went): a reader gets one correction per distinct set. */
  fingerprint: string;
  changes: CorrectionChange[];
  subscriberIds: number[];
}

const stateOf = (c: CorrectionChange) => (c.kind === 'cancelled' ? `${c.before.key}:cancelled` : `${c.before.key}:${c.now.start}/${c.now.end}/${c.now.location ?? ''}`);

/**
 * The readers whose copy listed a change (their kinds then, and their place when `listed` says so),
 * grouped by the changes their copy listed.
 */
export function groupReaders(changes: readonly CorrectionChange[], readers: readonly IssueReader[], listed?: (r: IssueReader, c: CorrectionChange) => boolean): CorrectionGroup[] {
  const groups = new Map<string, CorrectionGroup>();
  for (const r of readers) {
    const theirs = changes.filter((c) => (r.kinds.length === 0 || r.kinds.includes(c.before.kind)) && (!listed || listed(r, c)));
    if (theirs.length === 0) continue;
    const fingerprint = createHash('sha256').update(theirs.map(stateOf).join('\n')).digest('hex').slice(0, 12);
    let g = groups.get(fingerprint);
    if (!g) groups.set(fingerprint, (g = { fingerprint, changes: theirs, subscriberIds: [] }));
    g.subscriberIds.push(r.subscriberId);
  }
  return [...groups.values()];
}
