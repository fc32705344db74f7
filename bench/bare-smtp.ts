// The send bench's ceiling: a bare SMTP client that writes messages escaped ahead of time (no per-byte work while
// sending) over a few connections, one transaction after another, so only the sink and the sockets set the pace.
import { connect, type Socket } from 'node:net';

/** The DATA payload of a message: dots at line starts doubled and the terminating line added (RFC 5321 4.5.2). */
export function dotStuffed(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/(^|\r\n)\./g, '$1..');
  return Buffer.from(text + (text.endsWith('\r\n') ? '' : '\r\n') + '.\r\n', 'latin1');
}

/** Sends `n` messages (the i-th: payloads[i % length]) to 127.0.0.1:port over `connections` sessions. */
export async function bareSend(port: number, connections: number, n: number, payloads: Buffer[]): Promise<void> {
  let next = 0;
  const session = async () => {
    const socket: Socket = connect(port, '127.0.0.1');
    let pending = '';
    const waiting: ((reply: string) => void)[] = [];
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      pending += d;
      for (let i; (i = pending.indexOf('\r\n')) >= 0; ) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 2);
        if (line[3] !== '-') waiting.shift()?.(line);
      }
    });
    const expect = async (code: string, write?: string | Buffer) => {
      const reply = new Promise<string>((ok) => waiting.push(ok));
      if (write !== undefined) socket.write(write);
      const line = await reply;
      if (!line.startsWith(code)) throw new Error(`bare client: ${line}`);
    };
    await expect('220');
    await expect('250', 'EHLO bench\r\n');
    while (next < n) {
      const i = next++;
      await expect('250', 'MAIL FROM:<digest@example.org>\r\n');
      await expect('250', `RCPT TO:<reader${i}@example.org>\r\n`);
      await expect('354', 'DATA\r\n');
      await expect('250', payloads[i % payloads.length]);
    }
    await expect('221', 'QUIT\r\n');
    socket.end();
  };
  await Promise.all(Array.from({ length: connections }, session));
}
