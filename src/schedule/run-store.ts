// The scheduler's memory in SQLite: runs by scheduled time, holds by issue, review mails sent.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';

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

interface RunRow {
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

const toRecord = (r: RunRow): RunRecord => ({
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

export interface RunOutcome {
  state: RunState;
  detail?: string | null;
  counts?: { sent: number; failed: number; deferred: number; skipped: number };
  /** A try at sending (counted), not only a decision like "missed". */
  attempted?: boolean;
}

export class RunStore {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly list: string,
  ) {
    this.q = {
      get: db.prepare<[string, string], RunRow>('SELECT * FROM schedule_runs WHERE list = ? AND scheduled_for = ?'),
      latest: db.prepare<[string, number], RunRow>('SELECT * FROM schedule_runs WHERE list = ? ORDER BY scheduled_for DESC LIMIT ?'),
      upsert: db.prepare(
        `INSERT INTO schedule_runs (list, scheduled_for, window_start, state, detail, sent, failed, deferred, skipped, attempts, first_at, updated_at)
         VALUES (@list, @scheduled_for, @window_start, @state, @detail, @sent, @failed, @deferred, @skipped, @attempts, @now, @now)
         ON CONFLICT (list, scheduled_for) DO UPDATE SET state = excluded.state, detail = excluded.detail,
           sent = sent + excluded.sent, failed = failed + excluded.failed, deferred = excluded.deferred, skipped = skipped + excluded.skipped,
           attempts = attempts + excluded.attempts, updated_at = excluded.updated_at`,
      ),
      hold: db.prepare(
        `INSERT INTO holds (list, window_start, held_at, released_at) VALUES (?, ?, ?, NULL)
         ON CONFLICT (list, window_start) DO UPDATE SET held_at = excluded.held_at, released_at = NULL`,
      ),
      release: db.prepare('UPDATE holds SET released_at = ? WHERE list = ? AND window_start = ? AND released_at IS NULL'),
      isHeld: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM holds WHERE list = ? AND window_start = ? AND released_at IS NULL'),
      reviewed: db.prepare<[string, string], { sent_at: string }>('SELECT sent_at FROM schedule_reviews WHERE list = ? AND scheduled_for = ?'),
      // INSERT OR IGNORE: two daemons race for the review mail; only the one whose insert counts sends it.
      review: db.prepare('INSERT OR IGNORE INTO schedule_reviews (list, scheduled_for, sent_at) VALUES (?, ?, ?)'),
      unreview: db.prepare('DELETE FROM schedule_reviews WHERE list = ? AND scheduled_for = ?'),
    };
  }

  get(scheduledFor: string): RunRecord | undefined {
    const r = this.q.get.get(this.list, scheduledFor);
    return r && toRecord(r);
  }

  latest(n = 10): RunRecord[] {
    return this.q.latest.all(this.list, n).map(toRecord);
  }

  record(scheduledFor: string, windowStart: string, o: RunOutcome): RunRecord {
    const c = o.counts ?? { sent: 0, failed: 0, deferred: 0, skipped: 0 };
    this.q.upsert.run({
      list: this.list,
      scheduled_for: scheduledFor,
      window_start: windowStart,
      state: o.state,
      detail: o.detail ?? null,
      ...c,
      attempts: o.attempted ? 1 : 0,
      now: this.now(),
    });
    return this.get(scheduledFor)!;
  }

  hold(windowStart: string): void {
    this.q.hold.run(this.list, windowStart, this.now());
  }

  /** False when the issue was not held. */
  release(windowStart: string): boolean {
    return this.q.release.run(this.now(), this.list, windowStart).changes > 0;
  }

  isHeld(windowStart: string): boolean {
    return this.q.isHeld.get(this.list, windowStart)!.n > 0;
  }

  /** Claims the review mail for a scheduled time: true for exactly one caller. */
  claimReview(scheduledFor: string): boolean {
    return this.q.review.run(this.list, scheduledFor, this.now()).changes > 0;
  }

  /** Gives the claim back (the mail could not be sent), so the next pass tries again. */
  unclaimReview(scheduledFor: string): void {
    this.q.unreview.run(this.list, scheduledFor);
  }

  reviewSentAt(scheduledFor: string): string | undefined {
    return this.q.reviewed.get(this.list, scheduledFor)?.sent_at;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
