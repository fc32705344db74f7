// The daemon as a user runs it: its own process, JSON log lines, SIGTERM in the middle of a send and a
// restart, node-cron really firing, the web app beside it; and status, hold and release.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { engineEnv } from '../helpers/engines.ts';
import { startSink } from '../helpers/smtp-sink.ts';
import { sendEnv } from '../helpers/send-env.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface Daemon {
  child: ChildProcessWithoutNullStreams;
  lines: Record<string, unknown>[];
  err: () => string;
  exited: Promise<number | null>;
}

function startDaemon(cwd: string, env: Record<string, string>, args: string[] = ['--no-web']): Daemon {
  const child = spawn(process.execPath, [join(ROOT, 'bin/event-digest.js'), 'schedule', ...args], { cwd, env: { ...process.env, ...engineEnv(cwd), ...env } });
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  let err = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  child.stderr.on('data', (d) => (err += d));
  return { child, lines, err: () => err, exited: new Promise((done) => child.on('exit', (code) => done(code))) };
}

/** Bounded wait: polls every 25 ms for at most `ms` (minutes, not seconds: the suite must pass on a busy machine). */
async function until(what: string, ok: () => boolean, ms = 180_000): Promise<void> {
  for (let waited = 0; !ok(); waited += 25) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('schedule, in its own process', () => {
  it('SIGTERM in the middle of a send lets the messages in flight finish, exits 0; the restart resumes; one copy each', async () => {
    const sink = await startSink({ delayMs: 15 });
    const e = sendEnv({ smtpUrl: sink.url, sending: { connections: 2 } });
    const store = await e.store();
    await store.subscribers.addAll(Array.from({ length: 300 }, (_, i) => ({ email: `r${i}@example.org` })), { source: 'test' });
    await store.close();
    try {
      const first = startDaemon(e.dir, { ...e.env, DIGEST_NOW: '2016-11-28T13:00:30Z' });
      await until('30 messages', () => sink.received.length >= 30);
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0, first.err());
      const atStop = sink.received.length;
      assert.ok(atStop < 300, `stopped early (${atStop})`);
      const stopped = first.lines.find((l) => l.event === 'run.incomplete')!;
      assert.ok(stopped, JSON.stringify(first.lines));
      assert.match(String(stopped.msg), /stopped: stopped by SIGTERM/);
      assert.equal(stopped.sent, atStop, 'every message the server accepted is recorded as sent');
      assert.ok(first.lines.some((l) => l.event === 'daemon.stopped'));

      const second = startDaemon(e.dir, { ...e.env, DIGEST_NOW: '2016-11-28T13:05:00Z' });
      await until('the rest', () => second.lines.some((l) => l.event === 'run.sent'));
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
      const to = sink.received.flatMap((r) => r.to);
      assert.equal(to.length, 300);
      assert.equal(new Set(to).size, 300);
      for (const l of [...first.lines, ...second.lines]) assert.equal(typeof l.time, 'string'), assert.equal(typeof l.event, 'string');

      const status = await e.cli(['status', '--json'], { DIGEST_NOW: '2016-11-28T13:06:00Z' });
      const doc = JSON.parse(status.out);
      assert.equal(doc.lastRun.state, 'sent');
      assert.equal(doc.lastRun.attempts, 2);
      assert.equal(doc.nextRun, '2016-12-05T08:00:00.000-05:00');
      assert.deepEqual(doc.sending, []);
      assert.equal(doc.issues[0].sent, 300);
    } finally {
      await sink.close();
    }
  });

  it('node-cron fires the runs; the web app answers beside it', async () => {
    const e = sendEnv();
    // Every second, today (real time): the 2016 seed has nothing now, so each run is quiet.
    const d = startDaemon(e.dir, { DIGEST_SCHEDULE: '* * * * * *' }, ['--port', '0']);
    try {
      // On a busy shared machine the start-up pass alone has taken over 10 s (node-cron's ticks meanwhile are missed): the default bound of minutes.
      await until('a run started by node-cron', () => d.lines.some((l) => l.event === 'run.quiet' && l.trigger === 'cron'));
      const web = d.lines.find((l) => l.event === 'web.listening');
      assert.ok(web);
      const res = await fetch(`${web.url}/subscribe`);
      assert.equal(res.status, 200);
    } finally {
      d.child.kill('SIGTERM');
    }
    assert.equal(await d.exited, 0);
  });
});

describe('status, hold and release', () => {
  it('hold keeps send from mailing the issue (exit 2) until release; status shows it', async () => {
    const e = sendEnv();
    const store = await e.store();
    await store.subscribers.add({ email: 'a@example.org' }, { source: 'test' });
    await store.close();
    const held = await e.cli(['hold', '2016-11-28']);
    assert.equal(held.code, 0);
    assert.match(held.out, /held the 2016-11-28 issue/);
    const refused = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /^event-digest: the 2016-11-28 issue is held; `event-digest release 2016-11-28` lets it go$/m);
    const status = await e.cli(['status']);
    assert.match(status.out, /^held: 2016-11-28$/m);
    assert.match(status.out, /^next run: 2016-11-28 08:00 EST$/m);
    assert.match(status.out, /^last run: none yet$/m);
    assert.equal((await e.cli(['release', '2016-11-28'])).code, 0);
    const again = await e.cli(['release', '2016-11-28']);
    assert.equal(again.code, 1);
    assert.match(again.err, /the 2016-11-28 issue is not held/);
    const sent = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(sent.code, 0);
    assert.match((await e.cli(['status'])).out, /^ {2}2016-11-28 {2}sent 1, failed 0/m);
  });

  it('a bad issue date is a usage error', async () => {
    const e = sendEnv();
    const r = await e.cli(['hold', 'next-week']);
    assert.equal(r.code, 2);
    assert.match(r.err, /ISSUE: 'next-week' is not an issue date/);
  });
});
