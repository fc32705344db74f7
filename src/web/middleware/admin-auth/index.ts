// Organizer pages: a bearer token or a login session when DIGEST_ADMIN_TOKEN is set; loopback only when it is not.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AdminSessions } from '../../admin-sessions.ts';
import { isLoopbackAddress, isLoopbackHost, isProxied, remoteAddress } from '../../client.ts';

export const ADMIN_COOKIE = 'event_digest_admin';

export interface AdminAuthOptions {
  /** Config `adminToken`; undefined: loopback only. */
  token?: string;
  /** The login sessions (when a token is set). */
  sessions?: AdminSessions;
  /** Answers a request that may not pass (a login page, a 403 page). */
  deny(c: Context, why: 'login' | 'loopback-only'): Response | Promise<Response>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Equal-length digests, so the comparison takes the same time whatever the input's length. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Without a token, this machine only: a loopback peer, a Host naming loopback (DNS rebinding), and no header a
 * reverse proxy adds — behind a proxy the peer is the proxy, and nginx and Apache pass the backend's Host.
 */
export function isLocalRequest(c: Context): boolean {
  return isLoopbackAddress(remoteAddress(c)) && isLoopbackHost(c.req.header('host')) && !isProxied(c.req.raw.headers);
}

export function adminAuth(opts: AdminAuthOptions): MiddlewareHandler {
  return async (c, next) => {
    if (opts.token === undefined) return isLocalRequest(c) ? next() : opts.deny(c, 'loopback-only');
    const auth = c.req.header('authorization');
    const bearer = auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (bearer && sameSecret(bearer.trim(), opts.token)) return next();
    const cookie = getCookie(c, ADMIN_COOKIE);
    if (cookie && opts.sessions && (await opts.sessions.valid(cookie))) return next();
    return opts.deny(c, 'login');
  };
}
