// Benchmarks send: 100,000 subscribers through the ledger to a loopback smtp-server sink (own process),
// against plain nodemailer pooled sending of prepared messages to the same sink in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Bench } from './run.ts';
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

async function startSink(): Promise<{ port: number; stop(): Promise<void> }> {
  const p = spawn(process.execPath, ['--import', 'tsx', new URL('./smtp-sink-process.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((ok, fail) => {
    p.stdout.once('data', (d) => ok(Number(String(d).trim())));
    p.once('exit', () => fail(new Error('sink exited')));
  });
  return { port, stop: () => new Promise((ok) => (p.once('exit', () => ok()), p.kill('SIGTERM'))) };
}

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ed-bench-send-'));
  const sink = await startSink();
  const clock = fixedClock(new Date('2016-11-27T13:00:00Z'));
  const config = configSchema.parse({ listName: SETTINGS.listName, baseUrl: SETTINGS.baseUrl, from: 'Movement Digest <digest@example.org>', sending: { connections: CONNECTIONS } });
  const store = await openStore({ db: join(dir, 'bench.db'), clock, defaultTimezone: 'America/New_York' });
  try {
    const t0 = performance.now();
    const readers = Array.from({ length: N }, (_, i) => {
      const v = VARIANTS[i % VARIANTS.length];
      return { email: `reader${i}@example.org`, name: i % 7 === 0 ? undefined : `Reader ${i}`, timezone: v.zone, kinds: [...v.kinds] };
    });
    await store.subscribers.addAll(readers, { source: 'bench' });
    console.log(`${N.toLocaleString('en-US')} subscribers over ${VARIANTS.length} variants added in ${((performance.now() - t0) / 1000).toFixed(1)} s; sink on 127.0.0.1:${sink.port} (own process); ${CONNECTIONS} connections`);
    const selection = selectWindow(fortyEvents(), windowFor('2016-11-28', 3, 'America/New_York'), { kinds: ['conference'], months: 6 });
    const calendar = { events: fortyEvents(), alliedCalendars: SETTINGS.alliedCalendars.slice() };
    const url = `smtp://127.0.0.1:${sink.port}`;

    // Baseline: the readers' own messages, prepared before timing, sent by a plain nodemailer pool. 100,000
    // messages of ~110 KB do not fit in memory, so 2,000 distinct ones (~220 MB, far beyond any cache, as
    // fresh messages are) are prepared and cycled.
    const sctx: SendContext = { config, calendar, selection, store, transport: smtpTransport({ url, connections: CONNECTIONS, perSecond: 0 }), clock };
    const make = await messageFactory(sctx, 'bench');
    const prepared: Buffer[] = [];
    for (let i = 0; i < Math.min(N, PREPARED); i++) {
      const v = VARIANTS[i % VARIANTS.length];
      const m = await make({ id: i + 1, email: `reader${i}@example.org`, name: i % 7 === 0 ? null : `Reader ${i}`, timezone: v.zone, kinds: [...v.kinds] }, `prepared-${i}@example.org`);
      if ('skip' in m) throw new Error('a variant is quiet');
      prepared.push(m.raw);
    }
    await sctx.transport.close();
    const pool = nodemailer.createTransport({ url, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity } as Parameters<typeof nodemailer.createTransport>[0]);
    let next = process.env.BENCH_ONLY_OURS ? N : 0; // profiling aid: skip the baseline's sends
    const tb = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < N) {
          const i = next++;
          await pool.sendMail({ envelope: { from: 'digest@example.org', to: [`reader${i}@example.org`] }, raw: prepared[i % prepared.length] });
        }
      }),
    );
    const baseMs = performance.now() - tb;
    pool.close();
    const baseRate = N / (baseMs / 1000);
    console.log(`plain nodemailer pool, prepared messages: ${(baseMs / 1000).toFixed(1)} s, ${baseRate.toFixed(0)} messages/s (${(prepared[0].length / 1024).toFixed(0)} KB each)`);

    // Ours: issue, lock, ledger rows, per-message status re-read, personalisation and MIME, 250 recorded per message.
    const transport = smtpTransport({ url, connections: CONNECTIONS, perSecond: 0 });
    const ts = performance.now();
    const result = await sendIssue({ ...sctx, transport });
    const ourMs = performance.now() - ts;
    await transport.close();
    if (result.kind !== 'sent') throw new Error(`send did not run: ${result.kind}`);
    const ourRate = result.run.counts.sent / (ourMs / 1000);
    console.log(`event-digest send (ledger + personalisation + MIME): ${(ourMs / 1000).toFixed(1)} s, ${ourRate.toFixed(0)} messages/s; sent ${result.run.counts.sent}, failed ${result.run.counts.failed}, deferred ${result.run.counts.deferred}`);
    const ratio = ourRate / baseRate;
    console.log(`ratio against plain nodemailer pooled sending: ${ratio.toFixed(2)} (${ratio >= 0.9 ? 'PASS' : 'FAIL'}: at least 0.9); peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  } finally {
    await store.close();
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = { name: 'send', description: '100,000 subscribers to a loopback SMTP sink, against plain nodemailer pooled sending', run };
