// A temp working folder for send tests: config, a SQLite file with subscribers, and the CLI in-process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixedClock } from '../../src/clock.ts';
import { run } from '../../src/cli/program.ts';
import { openStore, type Store } from '../../src/store/store.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const NOW = '2016-11-27T13:00:00Z';

export interface SendEnv {
  dir: string;
  env: Record<string, string>;
  store(): Store;
  cli(args: string[], extraEnv?: Record<string, string>): Promise<{ code: number; out: string; err: string }>;
}

export function sendEnv(opts: { smtpUrl?: string; sending?: Record<string, number>; extraConfig?: string } = {}): SendEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ed-send-'));
  const sending = { connections: 2, retries: 2, backoffMs: 5, stopAfterFailures: 25, ...opts.sending };
  writeFileSync(
    join(dir, 'event-digest.config.yaml'),
    `events: ${join(ROOT, 'data/events.yaml')}\nsending:\n${Object.entries(sending).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n${opts.extraConfig ?? ''}`,
  );
  const env: Record<string, string> = { DIGEST_NOW: NOW, ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}) };
  return {
    dir,
    env,
    store: () => openStore({ path: join(dir, 'var/event-digest.db'), clock: fixedClock(new Date(NOW)), defaultTimezone: 'America/New_York' }),
    async cli(args, extraEnv = {}) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await run(args, { cwd: dir, env: { ...env, ...extraEnv }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}

/** Adds subscribers (all active unless a status is given) through the store, in one transaction. */
export function addSubscribers(store: Store, rows: { email: string; name?: string; timezone?: string; kinds?: string[]; status?: 'unsubscribed' | 'pending' }[]): void {
  store.transaction(() => {
    for (const r of rows) {
      if (r.status === 'pending') store.subscribers.requestSubscription({ email: r.email, name: r.name, timezone: r.timezone, kinds: r.kinds }, 'test');
      else {
        const { subscriber } = store.subscribers.add({ email: r.email, name: r.name, timezone: r.timezone, kinds: r.kinds }, { source: 'test' });
        if (r.status === 'unsubscribed') store.subscribers.unsubscribe(subscriber.id);
      }
    }
  });
}
