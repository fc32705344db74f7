// Who is asking: the socket's address as @hono/node-server passes it in c.env (tests pass the same shape).
import type { Context } from 'hono';

export interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export function remoteAddress(c: Context): string | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
}

export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  return addr === '::1' || /^127\.\d+\.\d+\.\d+$/.test(addr) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(addr);
}

/** The Host header names this machine: guards loopback-only pages against DNS rebinding. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}
