// A scheduler over a temp SQLite file (or a PostgreSQL database) and a real loopback SMTP sink, with a clock the test moves.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { configSchema, type Config } from '../../src/config/schema.ts';
import { loadCalendar } from '../../src/events/sources.ts';
import { smtpTransport } from '../../src/mail/transports/smtp.ts';
import { jsonLogger } from '../../src/schedule/log.ts';
import { Scheduler, type SchedulerDeps } from '../../src/schedule/scheduler.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { TEST_ENGINE, type Engine } from './engines.ts';
import { startSink, type Sink, type SinkOptions } from './smtp-sink.ts';
import { movableClock, type MovableClock } from './web-env.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface ScheduleEnv {
  dir: string;
  config: Config;
  clock: MovableClock;
  sink: Sink;
  logs: Record<string, unknown>[];
  eventsPath: string;
  /** A scheduler as a fresh process would make it: its own database connection and SMTP pool. */
  scheduler(): Promise<Scheduler>;
  /**
   * The daemon restarted: `old`'s connection and pool closed, as its process's end closes them (on PostgreSQL
   * that frees its leadership), then a fresh scheduler.
   */
  restart(old: Scheduler): Promise<Scheduler>;
  /** The first store (for setting up subscribers and reading state). */
  store: Store;
  mails(): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** With `engine` postgres (default TEST_ENGINE), every scheduler (and the first store) uses one fresh PostgreSQL database. */
export async function scheduleEnv(opts: { config?: Record<string, unknown>; now: string; sink?: SinkOptions; events?: (seed: string) => unknown[]; engine?: Engine }): Promise<ScheduleEnv> {
  const engine = opts.engine ?? TEST_ENGINE;
  const dir = mkdtempSync(join(tmpdir(), 'ed-sched-'));
  const eventsPath = join(dir, 'events.yaml');
  copyFileSync(join(ROOT, 'data/events.yaml'), eventsPath);
  const sink = await startSink(opts.sink);
  const config = configSchema.parse({
    events: opts.events ? opts.events(eventsPath) : [eventsPath],
    db: engine.name === 'postgres' ? await engine.db(dir) : join(dir, 'digest.db'),
    smtp: sink.url,
    sending: { connections: 2, retries: 1, backoffMs: 5 },
    secret: 'a test secret of enough length',
    ...opts.config,
  });
  const clock = movableClock(opts.now);
  const logs: Record<string, unknown>[] = [];
  const opened: { store: Store; deps: SchedulerDeps; scheduler?: Scheduler }[] = [];
  const open = async (): Promise<SchedulerDeps> => {
    const store = await openStore({ db: config.db, clock, defaultTimezone: config.timezone, secret: config.secret });
    const deps: SchedulerDeps = {
      config,
      clock,
      store,
      loadEvents: () => loadCalendar(config.events, { cwd: dir, listTimezone: config.timezone, kinds: config.kinds, defaultKind: config.defaultKind, nowMs: clock.now().getTime() }),
      transport: smtpTransport({ url: sink.url, connections: config.sending.connections, perSecond: 0 }),
      log: jsonLogger((line) => logs.push(JSON.parse(line)), clock),
    };
    opened.push({ store, deps });
    return deps;
  };
  const scheduler = async () => {
    const deps = await open();
    return (opened.find((o) => o.deps === deps)!.scheduler = new Scheduler(deps));
  };
  const first = await open();
  return {
    dir,
    config,
    clock,
    sink,
    logs,
    eventsPath,
    store: first.store,
    scheduler,
    async restart(old) {
      const i = opened.findIndex((o) => o.scheduler === old);
      if (i < 0) throw new Error('restart: not a scheduler of this env, or restarted already');
      const [gone] = opened.splice(i, 1);
      await gone.deps.transport.close();
      await gone.store.close();
      return scheduler();
    },
    mails: () => Promise.all(sink.received.map((r) => simpleParser(r.raw))),
    async close() {
      for (const o of opened) {
        await o.deps.transport.close();
        await o.store.close();
      }
      await sink.close();
    },
  };
}

export async function subscribe(store: Store, n: number, zone = 'America/New_York'): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({ email: `reader${i + 1}@example.org`, name: `Reader ${i + 1}`, timezone: zone }));
  await store.subscribers.addAll(rows, { source: 'test' });
}

export function breakCalendar(path: string): () => void {
  const original = readFileSync(path, 'utf8');
  writeFileSync(path, original.replace('kind: webinar', 'kind: webinar\n    start: not a time'));
  return () => writeFileSync(path, original);
}
