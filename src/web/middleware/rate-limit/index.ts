// A fixed-window counter per key, kept in the database (store.rateLimits) so that several `serve` processes on
// one database, behind one address, count as one. Keys are hashed first: the table never holds a client's or a
// subscriber's address.
import { createHash } from 'node:crypto';
import type { Clock } from '../../../clock.ts';
import type { RateLimitRepository } from '../../../store/store.ts';

export interface RateLimitOptions {
  /** Which limit this is: its rows are its own. */
  bucket: string;
  /** Requests allowed per key in each window. */
  limit: number;
  windowMs: number;
  clock: Clock;
  counts: RateLimitRepository;
}

export class RateLimiter {
  constructor(private readonly opts: RateLimitOptions) {}

  /** Counts one request for key; false when the key is over its limit for the current window. */
  async take(key: string): Promise<boolean> {
    const { bucket, limit, windowMs, clock, counts } = this.opts;
    return (await counts.hit(bucket, keyHash(key), windowMs, clock.now().getTime())) <= limit;
  }
}

function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
