// The issue a new one is compared with (the previous sent one, or the one of --since), and who received it.
import { DateTime } from 'luxon';
import type { Selection } from '../calendar/select.ts';
import { DigestError } from '../errors.ts';
import type { Calendar } from '../events/model.ts';
import type { Store } from '../store/store.ts';
import { compareWithSnapshot } from './compare.ts';
import type { ChangeSet } from './model.ts';

/** The badges of an issue and the readers who got the issue they compare with (the others see no changed or cancelled entries). */
export interface IssueChanges {
  set: ChangeSet;
  received: ReadonlySet<number>;
}

/**
 * Compares the selection with the list's latest sent issue before its window, or with the issue of
 * `since` (a window start); undefined when there is none to compare with.
 */
export async function changesSincePrevious(store: Store, list: string, calendar: Calendar, selection: Selection, since?: string): Promise<IssueChanges | undefined> {
  let previous;
  if (since !== undefined) {
    const issue = await store.issues.find(list, since);
    const snapshot = issue && (await store.snapshots.get(issue.id));
    if (!issue || !snapshot) throw new DigestError('USAGE', `--since ${since}: no issue with a snapshot starts on that date (see \`event-digest status\`)`);
    previous = { issue, snapshot };
  } else {
    previous = await store.snapshots.latestBefore(list, selection.window.startDate);
  }
  if (!previous) return undefined;
  const { issue, snapshot } = previous;
  const windowEndMs = DateTime.fromISO(issue.windowEnd, { zone: issue.timezone }).toMillis();
  const set = compareWithSnapshot(selection, calendar, { windowStart: issue.windowStart, windowEndMs, snapshot });
  const received = new Set((await store.deliveries.readers(issue.id)).map((r) => r.subscriberId));
  return { set, received };
}
