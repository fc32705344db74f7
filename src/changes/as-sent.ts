// An issue as it was sent: its snapshot's events selected again over its own window, with the badges it showed.
import { DateTime } from 'luxon';
import { selectWindow, type SelectionPolicy } from '../calendar/select.ts';
import { windowFor } from '../calendar/window.ts';
import type { Issue } from '../mail/ledger.ts';
import type { IssueSnapshot } from './model.ts';
import { changeSetOfSnapshot, publicSnapshot, reviveEvents } from './snapshot.ts';

/**
 * The selection and badges of a sent issue, from its snapshot alone: the calendar of today plays no part.
 * `public`: as the public archive shows it, without private places and links (README, Privacy).
 */
export function issueAsSent(issue: Issue, stored: IssueSnapshot, policy: SelectionPolicy, view: 'public' | 'full') {
  const snapshot = view === 'public' ? publicSnapshot(stored) : stored;
  const events = reviveEvents(snapshot.events);
  const weeks = Math.max(1, Math.round(DateTime.fromISO(issue.windowEnd).diff(DateTime.fromISO(issue.windowStart), 'days').days / 7));
  const selection = selectWindow(events, windowFor(issue.windowStart, weeks, issue.timezone), policy);
  return { events, selection, changes: changeSetOfSnapshot(snapshot) };
}
