// The SMTP connections spread over worker threads, each with a nodemailer pool of its own (smtp-thread.ts): the
// messages are built and recorded here, escaped and written there. Started at the first message, closed with the transport.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { failureError, type PoolSettings } from './smtp-pool.ts';
import type { FromThread, ToThread } from './smtp-thread.ts';

interface Pending {
  ok(response: string): void;
  fail(e: Error): void;
}

interface Thread {
  worker: Worker;
  connections: number;
  pending: Map<number, Pending>;
  closed?: () => void;
}

/** The thread's module next to this one: .js when built, .ts when run from the sources (tests, benches). */
const FROM_SOURCES = extname(fileURLToPath(import.meta.url)) === '.ts';
const THREAD_URL = new URL(`./smtp-thread${FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url);

/** From the sources the thread registers tsx first: Node 20 does not hand a thread the loader the process was started with. */
function newThread(workerData: PoolSettings): Worker {
  if (!FROM_SOURCES) return new Worker(THREAD_URL, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(THREAD_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

export interface ThreadedPool {
  send(from: string, to: string, raw: Buffer): Promise<string>;
  close(): Promise<void>;
}

export function threadedPool(settings: PoolSettings, threads: number): ThreadedPool {
  let live: Thread[] | undefined;
  let nextId = 1;

  const start = (): Thread[] =>
    Array.from({ length: threads }, (_, i) => {
      // The connections split as evenly as they go (5 over 2: 3 and 2); the rate limit is never split (see smtp.ts).
      const connections = Math.floor(settings.connections / threads) + (i < settings.connections % threads ? 1 : 0);
      const worker = newThread({ ...settings, connections });
      const t: Thread = { worker, connections, pending: new Map() };
      worker.unref();
      worker.on('message', (m: FromThread) => {
        if ('closed' in m) return;
        const p = t.pending.get(m.id);
        if (!p) return;
        t.pending.delete(m.id);
        if (t.pending.size === 0) worker.unref();
        if ('response' in m) p.ok(m.response);
        else p.fail(failureError(m.failure));
      });
      const lost = (why: string) => {
        live = live?.filter((x) => x !== t);
        // A temporary failure: the sender retries the message (on another thread) as it retries a lost connection.
        for (const p of t.pending.values()) p.fail(failureError({ message: `sending thread stopped: ${why}`, code: 'ECONNECTION' }));
        t.pending.clear();
      };
      worker.on('error', (e) => lost(e.message));
      worker.on('exit', (code) => {
        if (t.closed) t.closed();
        else lost(`exit code ${code}`);
      });
      return t;
    });

  return {
    send(from, to, raw) {
      live ??= start();
      // The thread with the most free connections: the sender keeps at most one message per connection in flight,
      // so no thread's pool ever queues one behind another.
      let t: Thread | undefined;
      for (const x of live) if (!t || x.pending.size / x.connections < t.pending.size / t.connections) t = x;
      if (!t) return Promise.reject(failureError({ message: 'no sending thread left', code: 'ECONNECTION' }));
      const id = nextId++;
      // A copy of its own, moved to the thread (not cloned: that would copy it twice); the message itself stays,
      // since a retry hands it again.
      const bytes = new Uint8Array(raw);
      const thread = t;
      return new Promise<string>((ok, fail) => {
        thread.pending.set(id, { ok, fail });
        thread.worker.ref();
        thread.worker.postMessage({ id, from, to, raw: bytes } satisfies ToThread, [bytes.buffer]);
      });
    },
    async close() {
      const closing = live ?? [];
      live = [];
      await Promise.all(
        closing.map(
          (t) =>
            new Promise<void>((ok) => {
              t.closed = ok;
              t.worker.ref();
              t.worker.postMessage({ close: true } satisfies ToThread);
              // The pool's QUIT gets a moment; a thread that does not end by then is stopped.
              setTimeout(() => void t.worker.terminate(), 5_000).unref();
            }),
        ),
      );
    },
  };
}
