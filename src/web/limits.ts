// The web app's rate limits, from config `limits`: every POST counts against one of them, per client address,
// in the database, so two `serve` processes behind one address count as one.
import type { Clock } from '../clock.ts';
import type { Config } from '../config/schema.ts';
import type { RateLimitRepository } from '../store/store.ts';
import { RateLimiter } from './middleware/rate-limit/index.ts';

export interface WebLimits {
  /** Form posts per client address (subscribe, confirm, preferences, unsubscribe by kind, the organizer's forms). */
  perClient: RateLimiter;
  /** Login attempts per client address: the admin token must not be guessable at speed. */
  login: RateLimiter;
  /** RFC 8058 one-click unsubscribes per client address: mail providers post many from few addresses. */
  oneClick: RateLimiter;
  /** Mails per subscriber address: further requests answer the same page and send nothing. */
  perAddress: RateLimiter;
}

export function webLimits(config: Config, clock: Clock, counts: RateLimitRepository): WebLimits {
  const l = config.limits;
  const windowMs = l.windowMinutes * 60_000;
  const limiter = (bucket: string, limit: number, ms = windowMs) => new RateLimiter({ bucket, limit, windowMs: ms, clock, counts });
  return {
    perClient: limiter('form', l.formPosts),
    login: limiter('login', l.loginAttempts),
    oneClick: limiter('one-click', l.oneClickPosts),
    perAddress: limiter('mail-per-address', l.mailsPerAddressPerHour, 60 * 60_000),
  };
}
