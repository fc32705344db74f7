// What `select --json` adds: per occurrence its change badge, the cancelled ones, and the sent issue of that date.
import type { Selection } from '../calendar/select.ts';
import { zoneDisplayName } from '../calendar/zones.ts';
import type { Issue } from '../mail/ledger.ts';
import { changeFields } from './compare.ts';
import type { ChangeSet, IssueSnapshot } from './model.ts';
import { occurrenceKey } from './snapshot.ts';

/** Names the snapshot of the issue sent for the window, when there is one (the JSON still answers from the calendar as now). */
export function sentIssueJson(sent: { issue: Issue; snapshot: IssueSnapshot } | undefined) {
  if (!sent) return null;
  const listed = sent.snapshot.items.filter((i) => i.change !== 'cancelled').length;
  return { windowStart: sent.issue.windowStart, subject: sent.issue.subject, snapshotTakenAt: sent.snapshot.takenAt, occurrences: listed };
}

/**
 * The contract's document with `change` (and `was`) on every occurrence, the cancelled occurrences
 * among them in their old form, `changesSince` and `sentIssue`.
 */
export function withChanges<D extends { occurrences: Record<string, unknown>[] }>(doc: D, selection: Selection, changes: ChangeSet | undefined, sentIssue: ReturnType<typeof sentIssueJson>) {
  const listed = doc.occurrences.map((o, i) => ({ at: selection.occurrences[i].startMs, json: { ...o, ...changeFields(changes, occurrenceKey(selection.occurrences[i])) } }));
  const cancelled = (changes?.cancelled ?? []).map((c) => ({
    at: c.startMs,
    json: {
      eventId: c.eventId,
      title: c.title,
      kind: c.kind,
      start: c.start,
      end: c.end,
      allDay: c.allDay,
      timezone: zoneDisplayName(c.timezone),
      ongoing: false,
      location: c.location,
      url: c.links.find((l) => l.url !== '')?.url ?? null,
      change: 'cancelled' as const,
    },
  }));
  // A stable sort: occurrences keep their order, a cancelled one goes where its old time was.
  const occurrences = [...listed, ...cancelled].sort((a, b) => a.at - b.at).map((x) => x.json);
  return { ...doc, occurrences, changesSince: changes?.since ?? null, sentIssue };
}
