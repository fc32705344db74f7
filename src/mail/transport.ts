// What the sender needs from a delivery back-end, and how an SMTP failure is classified.

export interface OutgoingMessage {
  /** The whole message, headers included. */
  raw: Buffer;
  /** Envelope sender and recipient (bare addresses). */
  from: string;
  to: string;
  /** Without angle brackets. */
  messageId: string;
  /** A folder-safe name of the issue (the outbox groups files by it). */
  issueKey: string;
}

export interface MailTransport {
  readonly name: string;
  /** Messages that may be in flight at once (the pool's connection count). */
  readonly concurrency: number;
  /** Resolves with the server's reply once it accepted the message (250); rejects otherwise. */
  send(message: OutgoingMessage): Promise<{ response: string }>;
  close(): Promise<void>;
}

export interface Failure {
  /** temporary: 4xx or a lost connection, worth retrying; permanent: 5xx. */
  kind: 'temporary' | 'permanent';
  reply: string;
  /** A 5.1.x reply: the address does not exist; it becomes a bounced suppression. */
  bounce: boolean;
}

/** nodemailer errors carry `responseCode`/`response` for SMTP replies and a `code` for everything else. */
export function classifyFailure(e: unknown): Failure {
  const err = e as { responseCode?: number; response?: string; code?: string; message?: string };
  const reply = (err.response ?? `${err.code ?? 'ERROR'}: ${err.message ?? String(e)}`).replace(/\s+/g, ' ').trim();
  const code = err.responseCode;
  if (code !== undefined && code >= 500 && code < 600) {
    return { kind: 'permanent', reply, bounce: /\b5\.1\.\d+\b/.test(reply) || (code === 550 && /no such user|user unknown|does not exist/i.test(reply)) };
  }
  return { kind: 'temporary', reply, bounce: false };
}
