// A fixed-window counter per key, in memory and bounded: enough for one process answering a form.
import type { Clock } from '../../../clock.ts';

export interface RateLimitOptions {
  /** Requests allowed per key in each window. */
  limit: number;
  windowMs: number;
  clock: Clock;
  /** Keys remembered at most; the oldest windows are dropped first. */
  maxKeys?: number;
}

export class RateLimiter {
  private readonly hits = new Map<string, { start: number; count: number }>();
  private readonly maxKeys: number;

  constructor(private readonly opts: RateLimitOptions) {
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  /** Counts one request for key; false when the key is over its limit for the current window. */
  take(key: string): boolean {
    const now = this.opts.clock.now().getTime();
    let h = this.hits.get(key);
    if (!h || now - h.start >= this.opts.windowMs) {
      this.hits.delete(key);
      h = { start: now, count: 0 };
      this.hits.set(key, h);
      this.evict(now);
    }
    h.count++;
    return h.count <= this.opts.limit;
  }

  get size(): number {
    return this.hits.size;
  }

  /** Map order is insertion order, so the first entries are the oldest windows. */
  private evict(now: number): void {
    for (const [k, h] of this.hits) {
      if (this.hits.size <= this.maxKeys && now - h.start < this.opts.windowMs) break;
      this.hits.delete(k);
    }
  }
}
