// Row shapes both dialects read back (the same columns, the same names) and their domain objects.
import type { Issue } from '../mail/ledger.ts';
import type { LockHolder } from '../mail/send-lock.ts';
import type { RunRecord, RunState } from '../schedule/runs.ts';
import type { PersonalData } from './store.ts';

export interface IssueRow {
  id: number;
  list: string;
  window_start: string;
  window_end: string;
  timezone: string;
  subject: string;
  created_at: string;
}

export const toIssue = (r: IssueRow): Issue => ({
  id: r.id,
  list: r.list,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  timezone: r.timezone,
  subject: r.subject,
  createdAt: r.created_at,
});

export interface RunRow {
  list: string;
  scheduled_for: string;
  window_start: string;
  state: RunState;
  detail: string | null;
  sent: number;
  failed: number;
  deferred: number;
  skipped: number;
  attempts: number;
  first_at: string;
  updated_at: string;
}

export const toRunRecord = (r: RunRow): RunRecord => ({
  list: r.list,
  scheduledFor: r.scheduled_for,
  windowStart: r.window_start,
  state: r.state,
  detail: r.detail,
  sent: r.sent,
  failed: r.failed,
  deferred: r.deferred,
  skipped: r.skipped,
  attempts: r.attempts,
  firstAt: r.first_at,
  updatedAt: r.updated_at,
});

export interface LockRow {
  issue_id: number;
  holder: string;
  pid: number;
  host: string;
  token: string;
  acquired_at: string;
  heartbeat_at: string;
}

export const toHolder = (r: LockRow): LockHolder & { issueId: number } => ({
  issueId: r.issue_id,
  holder: r.holder,
  pid: r.pid,
  host: r.host,
  acquiredAt: r.acquired_at,
  heartbeatAt: r.heartbeat_at,
});

export interface SessionRow {
  id_hash: string;
  token_hash: string;
  client: string;
  issued_at: string;
}

export interface RequestRow {
  requested_at: string;
  fields: string;
}

/** A ledger row of one person, with its issue (privacy's export). */
export interface PersonalDeliveryRow {
  list: string;
  window_start: string;
  subject: string;
  state: string;
  sent_at: string | null;
  updated_at: string;
  attempts: number;
  last_reply: string | null;
  message_id: string;
}

export const toPersonalData = (history: PersonalData['history'], requests: readonly RequestRow[], deliveries: readonly PersonalDeliveryRow[]): PersonalData => ({
  history,
  requests: requests.map((r) => ({ requestedAt: r.requested_at, choices: JSON.parse(r.fields) as unknown })),
  deliveries: deliveries.map((r) => ({
    list: r.list,
    issue: r.window_start,
    subject: r.subject,
    state: r.state,
    sentAt: r.sent_at,
    updatedAt: r.updated_at,
    attempts: r.attempts,
    lastReply: r.last_reply,
    messageId: r.message_id,
  })),
});
