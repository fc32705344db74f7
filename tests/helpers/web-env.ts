// The web app as a value over a temp store (a SQLite file, or a PostgreSQL database on the PostgreSQL pass: TEST_ENGINE)
// and file outbox, with a clock the test moves.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Clock } from '../../src/clock.ts';
import { configSchema, type Config } from '../../src/config/schema.ts';
import { loadCalendar } from '../../src/events/sources.ts';
import { outboxTransport } from '../../src/mail/transports/outbox.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { createApp } from '../../src/web/app.ts';
import type { WebDeps } from '../../src/web/deps.ts';
import { testDb } from './engines.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BASE = 'http://127.0.0.1:3000';

export interface MovableClock extends Clock {
  set(iso: string): void;
  advance(ms: number): void;
}

export function movableClock(iso: string): MovableClock {
  let t = Date.parse(iso);
  return { now: () => new Date(t), set: (s) => void (t = Date.parse(s)), advance: (ms) => void (t += ms) };
}

export interface WebEnv {
  dir: string;
  app: Hono;
  deps: WebDeps;
  store: Store;
  clock: MovableClock;
  config: Config;
  /** A request as from a browser on this machine: loopback socket, same-origin POSTs. */
  req(path: string, init?: RequestInit & { remote?: string }): Promise<Response>;
  /** POST a form (same origin unless headers say otherwise). */
  post(path: string, fields: Record<string, string | string[]>, init?: RequestInit & { remote?: string }): Promise<Response>;
  /** Every .eml under the outbox folder `folder`, parsed. */
  mails(folder?: string): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function webEnv(
  opts: { config?: Partial<Config>; now?: string; events?: string; loadEvents?: (env: { dir: string; clock: MovableClock; config: Config }) => WebDeps['loadEvents'] } = {},
): Promise<WebEnv> {
  const base = opts.config?.baseUrl ?? BASE;
  const dir = mkdtempSync(join(tmpdir(), 'ed-web-'));
  const events = join(dir, 'events.yaml');
  copyFileSync(opts.events ?? join(ROOT, 'data/events.yaml'), events);
  const config = configSchema.parse({ events: [events], db: testDb(dir, 'digest.db'), outbox: join(dir, 'outbox'), ...opts.config });
  const clock = movableClock(opts.now ?? '2016-11-25T15:00:00Z');
  const store = await openStore({ db: config.db, clock, defaultTimezone: config.timezone, secret: 'a test secret of enough length' });
  const deps: WebDeps = {
    config,
    clock,
    store,
    linkSecret: await store.meta.linkSecret(),
    loadEvents: opts.loadEvents?.({ dir, clock, config }) ?? (() => loadCalendar(config.events, { cwd: dir, listTimezone: config.timezone, kinds: config.kinds, defaultKind: config.defaultKind, nowMs: clock.now().getTime() })),
    transport: outboxTransport(config.outbox),
    outboxDir: config.outbox,
    log: () => {},
  };
  const app = createApp(deps);
  const req = (path: string, init: RequestInit & { remote?: string } = {}) => {
    const { remote = '127.0.0.1', ...rest } = init;
    const headers = new Headers(rest.headers);
    if (!headers.has('host')) headers.set('host', '127.0.0.1:3000');
    return Promise.resolve(app.request(new URL(path, base).toString(), { ...rest, headers }, { incoming: { socket: { remoteAddress: remote } } }));
  };
  return {
    dir,
    app,
    deps,
    store,
    clock,
    config,
    req,
    post(path, fields, init = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      const headers = new Headers(init.headers);
      if (!headers.has('origin')) headers.set('origin', new URL(base).origin);
      headers.set('content-type', 'application/x-www-form-urlencoded');
      return req(path, { ...init, method: 'POST', headers, body });
    },
    async mails(folder = 'notices') {
      let files: string[];
      try {
        files = readdirSync(join(config.outbox, folder)).filter((f) => f.endsWith('.eml')).sort();
      } catch {
        return [];
      }
      const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(join(config.outbox, folder, f)))));
      // Oldest first by the Date header (the test clock), file name for equal dates.
      return parsed.map((m, i) => ({ m, i })).sort((a, b) => (a.m.date?.getTime() ?? 0) - (b.m.date?.getTime() ?? 0) || a.i - b.i).map((x) => x.m);
    },
    close: () => store.close(),
  };
}

/** The first link in a mail's text that starts with prefix. */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const m = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s>"]+`).exec(mail.text ?? '');
  if (!m) throw new Error(`no link starting ${prefix} in:\n${mail.text}`);
  return m[0];
}

export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** The values of the selected options of the zone list. */
export function selectedZones(page: string): string[] {
  const select = /<select id="timezone"[^]*?<\/select>/.exec(page)?.[0] ?? '';
  return [...select.matchAll(/<option value="([^"]+)" selected>/g)].map((m) => m[1]);
}

/** The kinds whose boxes are ticked. */
export function tickedKinds(page: string): string[] {
  return [...page.matchAll(/name="kinds" value="([^"]+)" checked/g)].map((m) => m[1]);
}

/** A port free on 127.0.0.1 just now, for a server whose URL must be known before it starts. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}
