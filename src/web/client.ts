// Who is asking: the socket's address as @hono/node-server passes it in c.env (tests pass the same shape).
import type { Context } from 'hono';
import { isLoopbackAddress, isLoopbackName } from '../loopback.ts';

export { isLoopbackAddress };

export interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export function remoteAddress(c: Context): string | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
}

/** The Host header names this machine: guards loopback-only pages against DNS rebinding. */
export function isLoopbackHost(host: string | undefined): boolean {
  return isLoopbackName(host);
}

/**
 * A header a reverse proxy adds (RFC 7239 Forwarded, the X-Forwarded-* family, X-Real-IP): the socket's
 * loopback peer is then the proxy, not the person, so loopback proves nothing.
 */
export function isProxied(headers: Headers): boolean {
  if (headers.has('forwarded') || headers.has('x-real-ip')) return true;
  for (const name of headers.keys()) if (name.startsWith('x-forwarded-')) return true;
  return false;
}
