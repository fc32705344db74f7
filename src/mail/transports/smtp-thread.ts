// A sending thread: its share of the SMTP connections in a nodemailer pool of its own, one reply per message handed in.
// nodemailer spends most of a message's time escaping its bytes for the DATA phase; several threads do that in parallel.
import { parentPort, workerData } from 'node:worker_threads';
import { nodemailerPool, sendFailure, type PoolSettings } from './smtp-pool.ts';

export type ToThread = { id: number; from: string; to: string; raw: Uint8Array } | { close: true };
export type FromThread = { id: number; response: string } | { id: number; failure: ReturnType<typeof sendFailure> } | { closed: true };

const port = parentPort!;
const pool = nodemailerPool(workerData as PoolSettings);
const reply = (m: FromThread) => port.postMessage(m);

port.on('message', (m: ToThread) => {
  if ('close' in m) {
    pool.close();
    reply({ closed: true });
    port.close();
    return;
  }
  const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
  pool.sendMail({ envelope: { from: m.from, to: [m.to] }, raw }).then(
    (info) => reply({ id: m.id, response: String(info.response) }),
    (e: unknown) => reply({ id: m.id, failure: sendFailure(e) }),
  );
});
