// What every request passes before a route: a rate limit on each POST, a form body that parses, no caching of
// pages that carry a token or organizer data; and the path as it may appear in a log (tokens cut off).
import type { Context, MiddlewareHandler } from 'hono';
import { remoteAddress } from '../../client.ts';
import type { RateLimiter } from '../rate-limit/index.ts';

/** Paths whose last segment is a subscriber's signed token. */
const TOKEN_PATH = /^\/(confirm|unsubscribe|preferences)\/[^/]+/;

/** `/preferences/eyJ…` → `/preferences/…`: a log line must not hand out a working link. */
export function loggedPath(path: string): string {
  return path.replace(TOKEN_PATH, '/$1/…');
}

/**
 * Every POST counts against a limiter chosen from its path (`pick`; undefined: the route counts it itself,
 * as the unsubscribe POST does once it knows whether it is a one-click or a choice of kinds).
 */
export function postRateLimit(pick: (path: string) => RateLimiter | undefined, refuse: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const limiter = pick(c.req.path);
    if (limiter && !(await limiter.take(clientKey(c)))) return refuse(c);
    return next();
  };
}

export function clientKey(c: Context): string {
  return remoteAddress(c) ?? 'unknown';
}

/**
 * Reads a form body once (hono keeps it for the route): a malformed one (a broken multipart) is the sender's
 * fault, answered 400 with one log line, instead of an exception with a stack trace in the route.
 */
export function formBodies(refuse: (c: Context, why: string) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    try {
      await c.req.parseBody();
    } catch (e) {
      return refuse(c, firstLine((e as Error).message));
    }
    return next();
  };
}

/** Organizer pages and pages reached by a token: never kept by a browser or a shared cache. */
export function noStore(): MiddlewareHandler {
  const PRIVATE = /^\/(admin(\/|$)|confirm\/|unsubscribe\/|preferences\/)/;
  return async (c, next) => {
    await next();
    if (PRIVATE.test(c.req.path)) c.header('Cache-Control', 'no-store');
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 200);
}
