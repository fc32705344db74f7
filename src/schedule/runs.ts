// The scheduler's memory (node-cron keeps none): a run per scheduled time and what became of it.

export const RUN_STATES = ['sent', 'incomplete', 'refused', 'held', 'quiet', 'missed', 'expired'] as const;
export type RunState = (typeof RUN_STATES)[number];
/** Nothing more happens for a scheduled time in these states. */
export const FINAL_STATES: readonly RunState[] = ['sent', 'quiet', 'missed', 'expired'];

export interface RunRecord {
  list: string;
  scheduledFor: string;
  windowStart: string;
  state: RunState;
  detail: string | null;
  sent: number;
  failed: number;
  deferred: number;
  skipped: number;
  attempts: number;
  firstAt: string;
  updatedAt: string;
}

export interface RunOutcome {
  state: RunState;
  detail?: string | null;
  /** Added to the run's totals (deferred replaces: it is what is left now). */
  counts?: { sent: number; failed: number; deferred: number; skipped: number };
  /** A try at sending (counted), not only a decision like "missed". */
  attempted?: boolean;
}
