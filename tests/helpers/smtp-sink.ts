// A real smtp-server on a loopback port that keeps every message it accepts, with faults injected on purpose.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface Received {
  to: string[];
  raw: Buffer;
}

export interface SinkOptions {
  /** An SMTP error for this recipient on its nth attempt (1-based), or undefined to accept. */
  rcpt?: (address: string, attempt: number) => { code: number; message: string } | undefined;
  /** Drop the connection while this recipient's DATA arrives, on its nth attempt. */
  drop?: (address: string, attempt: number) => boolean;
  /** Delay before answering DATA (ms), to keep messages in flight. */
  delayMs?: number;
  /** Answer no DATA until this many messages wait for an answer (then all, and every later one as it comes). */
  holdUntil?: number;
  /** Called after each accepted message (e.g. to unsubscribe someone mid-run). */
  /** Runs before the 250 goes back (awaited when it returns a promise). */
  onAccepted?: (m: Received, count: number) => void | Promise<void>;
}

export interface Sink {
  url: string;
  port: number;
  received: Received[];
  attempts: Map<string, number>;
  close(): Promise<void>;
}

export async function startSink(opts: SinkOptions = {}): Promise<Sink> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const held: (() => void)[] = [];
  let open = false;
  const server: SMTPServer = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 20 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const a = address.address.toLowerCase();
      const n = (attempts.get(a) ?? 0) + 1;
      attempts.set(a, n);
      const err = opts.rcpt?.(a, n);
      if (err) return callback(Object.assign(new Error(err.message), { responseCode: err.code }));
      callback();
    },
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (to.some((a) => opts.drop?.(a, attempts.get(a) ?? 1))) {
          // Find this session's connection and cut it before answering: the client sees a lost connection.
          for (const c of (server as unknown as { connections: Set<{ session: { id: string }; _socket: { destroy(): void } }> }).connections) {
            if (c.session.id === session.id) c._socket.destroy();
          }
          return;
        }
        const m = { to, raw: Buffer.concat(chunks) };
        const answer = () => {
          received.push(m);
          const hook = opts.onAccepted?.(m, received.length);
          if (hook) void hook.then(() => callback());
          else callback();
        };
        const go = () => (opts.delayMs ? setTimeout(answer, opts.delayMs) : answer());
        if (!open && held.length < (opts.holdUntil ?? 0) - 1) held.push(go);
        else {
          open = true;
          for (const release of [...held.splice(0), go]) release();
        }
      });
    },
  });
  // A client killed mid-message resets its connection: expected in the crash tests, not a failure of the sink.
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') throw e;
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    attempts,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** How many messages each recipient got. */
export function perRecipient(received: Received[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of received) for (const a of r.to) m.set(a, (m.get(a) ?? 0) + 1);
  return m;
}
