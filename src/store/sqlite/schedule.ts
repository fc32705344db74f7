// The scheduler's memory in SQLite: runs by scheduled time, holds by issue, review mails sent.
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { RunOutcome, RunRecord } from '../../schedule/runs.ts';
import { toRunRecord as toRecord, type RunRow } from '../rows.ts';
import type { ScheduleRepository } from '../store.ts';

type UpsertRow = Omit<RunRow, 'first_at' | 'updated_at'> & { now: string };

export class SqliteSchedule implements ScheduleRepository {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.q = {
      get: db.prepare<[string, string], RunRow>('SELECT * FROM schedule_runs WHERE list = ? AND scheduled_for = ?'),
      latest: db.prepare<[string, number], RunRow>('SELECT * FROM schedule_runs WHERE list = ? ORDER BY scheduled_for DESC LIMIT ?'),
      // RETURNING: the run as stored after the upsert, in the same statement.
      upsert: db.prepare<[UpsertRow], RunRow>(
        `INSERT INTO schedule_runs (list, scheduled_for, window_start, state, detail, sent, failed, deferred, skipped, attempts, first_at, updated_at)
         VALUES (@list, @scheduled_for, @window_start, @state, @detail, @sent, @failed, @deferred, @skipped, @attempts, @now, @now)
         ON CONFLICT (list, scheduled_for) DO UPDATE SET state = excluded.state, detail = excluded.detail,
           sent = sent + excluded.sent, failed = failed + excluded.failed, deferred = excluded.deferred, skipped = skipped + excluded.skipped,
           attempts = attempts + excluded.attempts, updated_at = excluded.updated_at
         RETURNING *`,
      ),
      hold: db.prepare<[string, string, string]>(
        `INSERT INTO holds (list, window_start, held_at, released_at) VALUES (?, ?, ?, NULL)
         ON CONFLICT (list, window_start) DO UPDATE SET held_at = excluded.held_at, released_at = NULL`,
      ),
      release: db.prepare<[string, string, string]>('UPDATE holds SET released_at = ? WHERE list = ? AND window_start = ? AND released_at IS NULL'),
      isHeld: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM holds WHERE list = ? AND window_start = ? AND released_at IS NULL'),
      held: db.prepare<[string], { window_start: string }>('SELECT window_start FROM holds WHERE list = ? AND released_at IS NULL ORDER BY window_start'),
      reviewed: db.prepare<[string, string], { sent_at: string }>('SELECT sent_at FROM schedule_reviews WHERE list = ? AND scheduled_for = ?'),
      // DO NOTHING: two daemons race for the review mail; only the one whose insert counts sends it.
      review: db.prepare<[string, string, string]>('INSERT INTO schedule_reviews (list, scheduled_for, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      unreview: db.prepare<[string, string]>('DELETE FROM schedule_reviews WHERE list = ? AND scheduled_for = ?'),
    };
  }

  async run(list: string, scheduledFor: string): Promise<RunRecord | undefined> {
    const r = this.q.get.get(list, scheduledFor);
    return r && toRecord(r);
  }

  async latestRuns(list: string, n: number): Promise<RunRecord[]> {
    return this.q.latest.all(list, n).map(toRecord);
  }

  async recordRun(list: string, scheduledFor: string, windowStart: string, o: RunOutcome): Promise<RunRecord> {
    const c = o.counts ?? { sent: 0, failed: 0, deferred: 0, skipped: 0 };
    const row = this.q.upsert.get({
      list,
      scheduled_for: scheduledFor,
      window_start: windowStart,
      state: o.state,
      detail: o.detail ?? null,
      ...c,
      attempts: o.attempted ? 1 : 0,
      now: this.now(),
    })!;
    return toRecord(row);
  }

  async hold(list: string, windowStart: string): Promise<void> {
    this.q.hold.run(list, windowStart, this.now());
  }

  async release(list: string, windowStart: string): Promise<boolean> {
    return this.q.release.run(this.now(), list, windowStart).changes > 0;
  }

  async isHeld(list: string, windowStart: string): Promise<boolean> {
    return this.q.isHeld.get(list, windowStart)!.n > 0;
  }

  async held(list: string): Promise<string[]> {
    return this.q.held.all(list).map((r) => r.window_start);
  }

  async claimReview(list: string, scheduledFor: string): Promise<boolean> {
    return this.q.review.run(list, scheduledFor, this.now()).changes > 0;
  }

  async unclaimReview(list: string, scheduledFor: string): Promise<void> {
    this.q.unreview.run(list, scheduledFor);
  }

  async reviewSentAt(list: string, scheduledFor: string): Promise<string | undefined> {
    return this.q.reviewed.get(list, scheduledFor)?.sent_at;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
