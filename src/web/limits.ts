// The web app's rate limits, from config `limits`: every POST counts against one of them, per client address.
import type { Clock } from '../clock.ts';
import type { Config } from '../config/schema.ts';
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

export function webLimits(config: Config, clock: Clock, given: Partial<WebLimits> = {}): WebLimits {
  const l = config.limits;
  const windowMs = l.windowMinutes * 60_000;
  return {
    perClient: given.perClient ?? new RateLimiter({ limit: l.formPosts, windowMs, clock }),
    login: given.login ?? new RateLimiter({ limit: l.loginAttempts, windowMs, clock }),
    oneClick: given.oneClick ?? new RateLimiter({ limit: l.oneClickPosts, windowMs, clock }),
    perAddress: given.perAddress ?? new RateLimiter({ limit: l.mailsPerAddressPerHour, windowMs: 60 * 60_000, clock }),
  };
}
