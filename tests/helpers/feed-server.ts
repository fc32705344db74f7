// A hostile-and-friendly feed server on a 127.0.0.1 port: 200 with validators (gzip when asked), 304, 500, a hang, a redirect loop, an oversized body, HTML.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export const FEED_ICS = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//test//EN',
  'BEGIN:VEVENT', 'UID:ally-1@feed', 'SUMMARY:Ally meetup', 'DTSTART:20161129T180000Z', 'DTEND:20161129T190000Z', 'LOCATION:Online', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');

export const ETAG = '"v1"';
export const LAST_MODIFIED = 'Mon, 21 Nov 2016 10:00:00 GMT';
/** Words only the bodies of failing answers carry: a finding that quotes a body would show them. */
export const SECRET_BODY = 'internal-secret-body-text';

export interface FeedServer {
  base: string;
  port: number;
  /** Requests per path, and the headers of the last one. */
  hits: Map<string, number>;
  lastHeaders: Map<string, Record<string, string | string[] | undefined>>;
  /** What /flaky.ics answers next: the calendar, or a 500. */
  flaky: 'ok' | 'fail';
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const hanging = new Set<ServerResponse>();
  const state = { flaky: 'ok' as 'ok' | 'fail' };
  const hits = new Map<string, number>();
  const lastHeaders = new Map<string, Record<string, string | string[] | undefined>>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    lastHeaders.set(path, { ...req.headers });
    const calendar = () => {
      if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) return res.writeHead(304, { etag: ETAG }).end();
      const gzip = /gzip/.test(String(req.headers['accept-encoding']));
      const body = gzip ? gzipSync(FEED_ICS) : Buffer.from(FEED_ICS);
      res.writeHead(200, { 'content-type': 'text/calendar', etag: ETAG, 'last-modified': LAST_MODIFIED, ...(gzip ? { 'content-encoding': 'gzip' } : {}) }).end(body);
    };
    switch (path) {
      case '/feed.ics': return calendar();
      case '/flaky.ics': return state.flaky === 'ok' ? calendar() : res.writeHead(500, { 'content-type': 'text/plain' }).end(SECRET_BODY);
      case '/fail.ics': return res.writeHead(500, { 'content-type': 'text/plain' }).end(SECRET_BODY);
      case '/hang.ics': hanging.add(res); return void res.writeHead(200, { 'content-type': 'text/calendar' }).write('BEGIN:VCALENDAR\r\n');
      case '/loop.ics': return res.writeHead(302, { location: '/loop.ics' }).end();
      case '/to-feed.ics': return res.writeHead(302, { location: `http://127.0.0.1:${port()}/feed.ics` }).end();
      case '/to-file': return res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      case '/page.ics': return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body>${SECRET_BODY}</body></html>`);
      case '/text.ics': return res.writeHead(200, { 'content-type': 'text/plain' }).end(`${SECRET_BODY}\n`);
      case '/big.ics': {
        // Chunked, no length declared: only counting the stream can refuse it. At most 64 chunks of 64 KiB, then ends.
        res.writeHead(200, { 'content-type': 'text/calendar' });
        let sent = 0;
        const more = () => {
          while (sent < 64 && !res.destroyed) {
            sent++;
            if (!res.write(Buffer.alloc(65_536, 'A'))) return void res.once('drain', more);
          }
          res.end();
        };
        res.on('error', () => {});
        return more();
      }
      default: return res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = () => (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port()}`,
    port: port(),
    hits,
    lastHeaders,
    get flaky() { return state.flaky; },
    set flaky(v) { state.flaky = v; },
    close: () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      return new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
