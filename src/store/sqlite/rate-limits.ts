// The web app's rate limits in SQLite: one upsert counts a request (a new window when the last has ended).
import type Database from 'better-sqlite3';
import type { RateLimitRepository } from '../store.ts';

interface Hit {
  bucket: string;
  key: string;
  now: number;
  window: number;
}

export class SqliteRateLimits implements RateLimitRepository {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      prune: db.prepare<[Hit]>('DELETE FROM rate_limits WHERE bucket = @bucket AND window_start <= @now - @window AND key_hash <> @key'),
      count: db
        .prepare<[Hit], { hits: number }>(
          `INSERT INTO rate_limits (bucket, key_hash, window_start, hits) VALUES (@bucket, @key, @now, 1)
           ON CONFLICT (bucket, key_hash) DO UPDATE SET
             hits = CASE WHEN excluded.window_start - window_start >= @window THEN 1 ELSE hits + 1 END,
             window_start = CASE WHEN excluded.window_start - window_start >= @window THEN excluded.window_start ELSE window_start END
           RETURNING hits`,
        ),
    };
  }

  async hit(bucket: string, keyHash: string, windowMs: number, nowMs: number): Promise<number> {
    const h: Hit = { bucket, key: keyHash, now: nowMs, window: windowMs };
    this.q.prune.run(h);
    return this.q.count.get(h)!.hits;
  }
}
