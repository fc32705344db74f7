// Benchmarks send: 100,000 subscribers through the ledger to a loopback smtp-server sink (own process), against
// plain nodemailer pooled sending of prepared messages to the same sink in the same run, and the sink's own ceiling
// (a bare client writing messages escaped ahead of time), with the CPU each phase took.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Bench } from './run.ts';
import { bareSend, dotStuffed } from './bare-smtp.ts';
import { fixedClock } from '../src/clock.ts';
import { configSchema } from '../src/config/schema.ts';
import { selectWindow } from '../src/calendar/select.ts';
import { windowFor } from '../src/calendar/window.ts';
import { sendIssue } from '../src/mail/send-issue.ts';
import { smtpTransport } from '../src/mail/transports/smtp.ts';
import { openStore } from '../src/store/open.ts';
import { messageFactory, type SendContext } from '../src/mail/send-issue.ts';
import { fortyEvents, SETTINGS, VARIANTS } from './fixtures.ts';

const N = Number(process.env.BENCH_SEND_N ?? 100_000);
const CONNECTIONS = 5;
const PREPARED = 2_000;
const clock = fixedClock(new Date('2016-11-27T13:00:00Z'));
/** A profiling aid: only the send is run (no ceiling, no baseline, no ratio). */
const onlyOurs = Boolean(process.env.BENCH_ONLY_OURS);

async function startSink(): Promise<{ port: number; cpuMs(): number; stop(): Promise<void> }> {
  const p = spawn(process.execPath, ['--import', 'tsx', new URL('./smtp-sink-process.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((ok, fail) => {
    p.stdout.once('data', (d) => ok(Number(String(d).trim())));
    p.once('exit', () => fail(new Error('sink exited')));
  });
  // The sink's CPU time (user + system, all its threads) from /proc: Linux clock ticks of 10 ms.
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${p.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { port, cpuMs, stop: () => new Promise((ok) => (p.once('exit', () => ok()), p.kill('SIGTERM'))) };
}

type Sink = Awaited<ReturnType<typeof startSink>>;

/** Runs one phase; prints its rate and where the CPU went (this process with its threads, and the sink). */
async function phase(label: string, sink: Sink, body: () => Promise<number>): Promise<number> {
  const cpu0 = process.cpuUsage();
  const sink0 = sink.cpuMs();
  const t0 = performance.now();
  const sent = await body();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const rate = sent / (ms / 1000);
  const cores = (x: number) => (x / ms).toFixed(2);
  console.log(`${label}: ${(ms / 1000).toFixed(1)} s, ${rate.toFixed(0)} messages/s; CPU: this process ${cores((cpu.user + cpu.system) / 1000)} cores, sink ${cores(sink.cpuMs() - sink0)}`);
  return rate;
}

function readers() {
  return Array.from({ length: N }, (_, i) => {
    const v = VARIANTS[i % VARIANTS.length];
    return { email: `reader${i}@example.org`, name: i % 7 === 0 ? undefined : `Reader ${i}`, timezone: v.zone, kinds: [...v.kinds] };
  });
}

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ed-bench-send-'));
  const sink = await startSink();
  const url = `smtp://127.0.0.1:${sink.port}`;
  const selection = selectWindow(fortyEvents(), windowFor('2016-11-28', 3, 'America/New_York'), { kinds: ['conference'], months: 6 });
  const calendar = { events: fortyEvents(), alliedCalendars: SETTINGS.alliedCalendars.slice() };
  const config = configSchema.parse({ listName: SETTINGS.listName, baseUrl: SETTINGS.baseUrl, from: 'Movement Digest <digest@example.org>', sending: { connections: CONNECTIONS } });
  const store = await openStore({ db: join(dir, 'bench.db'), clock, defaultTimezone: 'America/New_York' });
  const ctx: SendContext = { config, calendar, selection, store, transport: smtpTransport({ url, connections: CONNECTIONS, perSecond: 0 }), clock };
  try {
    const t0 = performance.now();
    await store.subscribers.addAll(readers(), { source: 'bench' });
    console.log(`${N.toLocaleString('en-US')} subscribers over ${VARIANTS.length} variants added in ${((performance.now() - t0) / 1000).toFixed(1)} s; sink on 127.0.0.1:${sink.port} (own process); ${CONNECTIONS} connections; ${(await import('node:os')).availableParallelism()} cores`);

    // The readers' own messages, prepared before timing. 100,000 messages of ~110 KB do not fit in memory, so
    // 2,000 distinct ones (~220 MB, far beyond any cache, as fresh messages are) are prepared and cycled.
    const make = await messageFactory(ctx, 'bench');
    const prepared: Buffer[] = [];
    for (let i = 0; i < Math.min(N, PREPARED); i++) {
      const v = VARIANTS[i % VARIANTS.length];
      const m = await make({ id: i + 1, email: `reader${i}@example.org`, name: i % 7 === 0 ? null : `Reader ${i}`, timezone: v.zone, kinds: [...v.kinds] }, `prepared-${i}@example.org`);
      if ('skip' in m) throw new Error('a variant is quiet');
      prepared.push(m.raw);
    }

    // The ceiling: the sink alone, fed messages escaped ahead of time by a client that does nothing per byte.
    const stuffed = prepared.map(dotStuffed);
    const ceiling = onlyOurs ? NaN : await phase('sink ceiling (bare client, messages escaped ahead)', sink, async () => (await bareSend(sink.port, CONNECTIONS, N, stuffed), N));
    stuffed.length = 0;

    // Baseline: a plain nodemailer pool sending the prepared messages.
    const pool = nodemailer.createTransport({ url, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity } as Parameters<typeof nodemailer.createTransport>[0]);
    const baseRate = onlyOurs ? NaN : await phase(`plain nodemailer pool, prepared messages (${(prepared[0].length / 1024).toFixed(0)} KB each)`, sink, async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next < N) {
            const i = next++;
            await pool.sendMail({ envelope: { from: 'digest@example.org', to: [`reader${i}@example.org`] }, raw: prepared[i % prepared.length] });
          }
        }),
      );
      return N;
    });
    pool.close();
    prepared.length = 0;

    // Ours: issue, lock, ledger rows, per-message status re-read, personalisation and MIME, 250 recorded per message.
    const ourRate = await phase('event-digest send (ledger + personalisation + MIME)', sink, async () => {
      const result = await sendIssue(ctx);
      if (result.kind !== 'sent') throw new Error(`send did not run: ${result.kind}`);
      if (result.run.counts.sent !== N) throw new Error(`sent ${result.run.counts.sent} of ${N}`);
      return result.run.counts.sent;
    });
    const ratio = ourRate / baseRate;
    console.log(
      `ratio against plain nodemailer pooled sending: ${ratio.toFixed(2)} (target 1.5; both pay nodemailer's escaping of every byte, see docs/speed.md); ` +
        `the sink alone takes ${(ceiling / baseRate).toFixed(2)}x the baseline; peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    );
  } finally {
    await ctx.transport.close();
    await store.close();
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = { name: 'send', description: '100,000 subscribers to a loopback SMTP sink, against plain nodemailer pooled sending', run };
