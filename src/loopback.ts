// Whether an address or a host name means this machine: the admin's loopback-only mode and the SMTP TLS rule ask.
import { isIP } from 'node:net';

/** A socket's peer address: 127.0.0.0/8, ::1, or an IPv4-mapped 127.x. */
export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  return addr === '::1' || /^127\.\d+\.\d+\.\d+$/.test(addr) || /^::ffff:127\.\d+\.\d+\.\d+$/i.test(addr);
}

/**
 * A host as written in a URL, a Host header or --host (brackets and port allowed): `localhost`, a 127.x
 * literal or [::1]. Decided on the name alone, never by resolving it: a name in DNS can point anywhere.
 */
export function isLoopbackName(host: string | undefined): boolean {
  if (!host) return false;
  const name = isIP(host) ? host : host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name.toLowerCase() === 'localhost' || isLoopbackAddress(name);
}
