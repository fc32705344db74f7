// Organizer pages: a bearer token or the login cookie when DIGEST_ADMIN_TOKEN is set; loopback only when it is not.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { isLoopbackAddress, isLoopbackHost, remoteAddress } from '../../client.ts';

export const ADMIN_COOKIE = 'event_digest_admin';

export interface AdminAuthOptions {
  /** Config `adminToken`; undefined: loopback only. */
  token?: string;
  /** Signs the login cookie (the link secret). */
  secret: string;
  /** Answers a request that may not pass (a login page, a 403 page). */
  deny(c: Context, why: 'login' | 'loopback-only'): Response | Promise<Response>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Equal-length digests, so the comparison takes the same time whatever the input's length. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The cookie proves its holder typed the token; changing the token (or the secret) ends every session. */
export function sessionValue(secret: string, token: string): string {
  return createHmac('sha256', secret).update(`event-digest/admin-session\n${token}`).digest('base64url');
}

export function adminAuth(opts: AdminAuthOptions): MiddlewareHandler {
  return async (c, next) => {
    if (opts.token === undefined) {
      if (!isLoopbackAddress(remoteAddress(c)) || !isLoopbackHost(c.req.header('host'))) return opts.deny(c, 'loopback-only');
      return next();
    }
    const auth = c.req.header('authorization');
    const bearer = auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (bearer && sameSecret(bearer.trim(), opts.token)) return next();
    const cookie = getCookie(c, ADMIN_COOKIE);
    if (cookie && sameSecret(cookie, sessionValue(opts.secret, opts.token))) return next();
    return opts.deny(c, 'login');
  };
}
