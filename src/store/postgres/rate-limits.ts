// The web app's rate limits in PostgreSQL: one upsert counts a request (a new window when the last has ended);
// two `serve` processes counting the same key at once serialise on its row, so neither count is lost.
import type { RateLimitRepository } from '../store.ts';
import type { Sql } from './database.ts';

const SQL = {
  prune: 'DELETE FROM rate_limits WHERE bucket = $1 AND window_start <= $3::bigint - $4::bigint AND key_hash <> $2',
  count: `INSERT INTO rate_limits (bucket, key_hash, window_start, hits) VALUES ($1, $2, $3, 1)
    ON CONFLICT (bucket, key_hash) DO UPDATE SET
      hits = CASE WHEN excluded.window_start - rate_limits.window_start >= $4 THEN 1 ELSE rate_limits.hits + 1 END,
      window_start = CASE WHEN excluded.window_start - rate_limits.window_start >= $4 THEN excluded.window_start ELSE rate_limits.window_start END
    RETURNING hits`,
};

export class PgRateLimits implements RateLimitRepository {
  constructor(private readonly sql: Sql) {}

  async hit(bucket: string, keyHash: string, windowMs: number, nowMs: number): Promise<number> {
    const params = [bucket, keyHash, nowMs, windowMs];
    await this.sql.run(SQL.prune, params);
    return (await this.sql.row<{ hits: number }>(SQL.count, params))!.hits;
  }
}
