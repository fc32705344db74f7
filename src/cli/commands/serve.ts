// `serve`: the web app (reader pages, archive, calendars and the organizer pages) until SIGINT or SIGTERM.
import { resolve } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { DigestError } from '../../errors.ts';
import type { FeedOptions } from '../../events/feeds/read.ts';
import { sharedCalendar, type SharedCalendar } from '../../events/shared-calendar.ts';
import { sourceLocation } from '../../events/sources.ts';
import { isLoopbackName } from '../../loopback.ts';
import { transportFromConfig } from '../../mail/transports/from-config.ts';
import { createApp } from '../../web/app.ts';
import type { WebDeps } from '../../web/deps.ts';
import { listenAddressFor, type ListenAddress } from '../../web/listen-address.ts';
import { listen } from '../../web/serve.ts';
import { parseIntOption } from '../args.ts';
import type { Context } from '../context.ts';

export interface ServeOptions {
  host?: string;
  port?: string;
}

/**
 * The calendar pages are served from: loaded once now, reloaded by a timer when `limits.calendarRefreshMinutes` have
 * passed on the clock, and (without fetching) when a local events file changes. A visitor's request never fetches a feed.
 */
export async function sharedEvents(ctx: Context): Promise<{ calendar: SharedCalendar; stop(): void }> {
  const memo: NonNullable<FeedOptions['memo']> = new Map();
  const calendar = sharedCalendar({
    clock: ctx.clock,
    ttlMs: ctx.config.limits.calendarRefreshMinutes * 60_000,
    files: ctx.config.events.map(sourceLocation).filter((s) => !/^https?:\/\//i.test(s)).map((s) => resolve(ctx.io.cwd, s)),
    load: (offline) => ctx.loadEvents({ memo, offline }),
  });
  await calendar.refresh();
  const timer = setInterval(() => void calendar.tick().catch((e: Error) => ctx.io.err(`reloading the calendar: ${e.message}`)), 30_000);
  timer.unref();
  return { calendar, stop: () => clearInterval(timer) };
}

export async function webDeps(ctx: Context, calendar: SharedCalendar): Promise<WebDeps> {
  const { config } = ctx;
  const store = await ctx.openStore();
  return {
    config,
    clock: ctx.clock,
    loadEvents: () => calendar.get(),
    store,
    linkSecret: await store.meta.linkSecret(),
    transport: transportFromConfig(config, ctx.io.cwd),
    outboxDir: config.smtp ? undefined : resolve(ctx.io.cwd, config.outbox),
    log: (line) => ctx.io.err(line),
    ...(ctx.verbose ? { debug: (line: string) => ctx.io.err(line) } : {}),
  };
}

/** --host and --port, each defaulting to what baseUrl names (listen-address.ts); a host beyond loopback needs the admin token. */
export function listenAddress(ctx: Context, opts: ServeOptions): ListenAddress {
  const fromBase = listenAddressFor(ctx.config.baseUrl);
  return { host: listenHost(opts.host ?? fromBase.host, ctx.config), port: parseIntOption(opts.port, '--port', fromBase.port, 0, 65535) };
}

/**
 * Without an admin token the organizer pages trust "this machine"; listening beyond loopback would offer them
 * to a network (or a proxy) before anyone noticed, so that is refused up front.
 */
export function listenHost(host: string | undefined, config: Config): string {
  const h = host ?? '127.0.0.1';
  if (config.adminToken === undefined && !isLoopbackName(h)) {
    throw new DigestError('CONFIG', `--host ${h}: listening beyond loopback needs an admin token for the organizer pages; set adminToken (DIGEST_ADMIN_TOKEN)`);
  }
  return h;
}

/** Resolves when a signal asks to stop (the CLI test sends SIGTERM). */
export function untilSignal(): Promise<string> {
  return new Promise((done) => {
    const on = (s: string) => () => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
      done(s);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

export async function serveCommand(ctx: Context, opts: ServeOptions): Promise<number> {
  const { host, port } = listenAddress(ctx, opts);
  const events = await sharedEvents(ctx);
  const deps = await webDeps(ctx, events.calendar);
  const server = await listen(createApp(deps), host, port);
  ctx.io.out(`event-digest: serving ${server.url} (organizer pages at ${server.url}/admin${ctx.config.adminToken ? ', token required' : ', loopback only'})`);
  const signal = await untilSignal();
  ctx.io.err(`${signal}: closing`);
  events.stop();
  await server.close();
  await deps.transport.close();
  return 0;
}
