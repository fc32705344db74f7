// Where the web app listens when the command line does not say: the port baseUrl names, on loopback unless baseUrl names another loopback address.
import { isLoopbackHost } from './client.ts';

/** Port when baseUrl names none (a reverse proxy in front on 80/443 forwards to it). */
export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';

export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * `http://127.0.0.1:8080` → 127.0.0.1:8080; `http://[::1]:8080` → ::1:8080; `http://localhost:8080` → 127.0.0.1:8080;
 * `https://events.example.org` → 127.0.0.1:3000 (behind a proxy: the public host is the proxy's, never bound
 * here; --host 0.0.0.0 exposes the app itself); `http://events.example.org:8080` → 127.0.0.1:8080.
 */
export function listenAddressFor(baseUrl: string): ListenAddress {
  const url = new URL(baseUrl);
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
  const named = url.hostname;
  const host = isLoopbackHost(named) && named !== 'localhost' ? named.replace(/^\[|\]$/g, '') : DEFAULT_HOST;
  return { host, port };
}
