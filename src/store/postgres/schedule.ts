// The scheduler's memory in PostgreSQL: runs by scheduled time, holds by issue, review mails sent.
import type { Clock } from '../../clock.ts';
import type { RunOutcome, RunRecord } from '../../schedule/runs.ts';
import { toRunRecord, type RunRow } from '../rows.ts';
import type { ScheduleRepository } from '../store.ts';
import type { Sql } from './database.ts';

const SQL = {
  get: 'SELECT * FROM schedule_runs WHERE list = $1 AND scheduled_for = $2',
  latest: 'SELECT * FROM schedule_runs WHERE list = $1 ORDER BY scheduled_for DESC LIMIT $2',
  // One statement: two daemons recording the same run add up rather than overwrite.
  upsert: `INSERT INTO schedule_runs AS r (list, scheduled_for, window_start, state, detail, sent, failed, deferred, skipped, attempts, first_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
           ON CONFLICT (list, scheduled_for) DO UPDATE SET state = excluded.state, detail = excluded.detail,
             sent = r.sent + excluded.sent, failed = r.failed + excluded.failed, deferred = excluded.deferred, skipped = r.skipped + excluded.skipped,
             attempts = r.attempts + excluded.attempts, updated_at = excluded.updated_at
           RETURNING *`,
  hold: `INSERT INTO holds (list, window_start, held_at, released_at) VALUES ($1, $2, $3, NULL)
         ON CONFLICT (list, window_start) DO UPDATE SET held_at = excluded.held_at, released_at = NULL`,
  release: 'UPDATE holds SET released_at = $1 WHERE list = $2 AND window_start = $3 AND released_at IS NULL',
  isHeld: 'SELECT 1 FROM holds WHERE list = $1 AND window_start = $2 AND released_at IS NULL',
  held: 'SELECT window_start FROM holds WHERE list = $1 AND released_at IS NULL ORDER BY window_start',
  reviewed: 'SELECT sent_at FROM schedule_reviews WHERE list = $1 AND scheduled_for = $2',
  // DO NOTHING: two daemons race for the review mail; only the one whose insert counts sends it.
  review: 'INSERT INTO schedule_reviews (list, scheduled_for, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
  unreview: 'DELETE FROM schedule_reviews WHERE list = $1 AND scheduled_for = $2',
};

export class PgSchedule implements ScheduleRepository {
  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
  ) {}

  async run(list: string, scheduledFor: string): Promise<RunRecord | undefined> {
    const r = await this.sql.row<RunRow>(SQL.get, [list, scheduledFor]);
    return r && toRunRecord(r);
  }

  async latestRuns(list: string, n: number): Promise<RunRecord[]> {
    return (await this.sql.rows<RunRow>(SQL.latest, [list, n])).map(toRunRecord);
  }

  async recordRun(list: string, scheduledFor: string, windowStart: string, o: RunOutcome): Promise<RunRecord> {
    const c = o.counts ?? { sent: 0, failed: 0, deferred: 0, skipped: 0 };
    const params = [list, scheduledFor, windowStart, o.state, o.detail ?? null, c.sent, c.failed, c.deferred, c.skipped, o.attempted ? 1 : 0, this.now()];
    return toRunRecord((await this.sql.row<RunRow>(SQL.upsert, params))!);
  }

  async hold(list: string, windowStart: string): Promise<void> {
    await this.sql.run(SQL.hold, [list, windowStart, this.now()]);
  }

  async release(list: string, windowStart: string): Promise<boolean> {
    return (await this.sql.run(SQL.release, [this.now(), list, windowStart])) > 0;
  }

  async isHeld(list: string, windowStart: string): Promise<boolean> {
    return (await this.sql.row(SQL.isHeld, [list, windowStart])) !== undefined;
  }

  async held(list: string): Promise<string[]> {
    return (await this.sql.rows<{ window_start: string }>(SQL.held, [list])).map((r) => r.window_start);
  }

  async claimReview(list: string, scheduledFor: string): Promise<boolean> {
    return (await this.sql.run(SQL.review, [list, scheduledFor, this.now()])) > 0;
  }

  async unclaimReview(list: string, scheduledFor: string): Promise<void> {
    await this.sql.run(SQL.unreview, [list, scheduledFor]);
  }

  async reviewSentAt(list: string, scheduledFor: string): Promise<string | undefined> {
    return (await this.sql.row<{ sent_at: string }>(SQL.reviewed, [list, scheduledFor]))?.sent_at;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
