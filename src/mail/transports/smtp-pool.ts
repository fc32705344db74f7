// nodemailer's pooled SMTP transport as this program configures it, from settings a worker thread can receive too.
import nodemailer from 'nodemailer';
import type { Socket } from 'node:net';

/** Headers DKIM signs: nodemailer's defaults leave List-Unsubscribe-Post out, and it must be covered (RFC 8058). */
export const DKIM_HEADERS = 'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Id:List-Unsubscribe:List-Unsubscribe-Post';

/** Plain data only (structured-clonable): the same settings build the pool in the main thread or in a sending thread. */
export interface PoolSettings {
  /** The URL for nodemailer (the TLS rule's, `insecure` taken out). */
  url: string;
  requireTLS: boolean;
  connections: number;
  /** Messages per second over this pool's connections; 0 for no limit. */
  perSecond: number;
  /** The key itself, read by the caller. */
  dkim?: { domain: string; selector: string; privateKey: string };
  allowSelfSigned?: boolean;
}

type SocketCallback = (err: Error | null, socketOptions?: { connection: Socket }) => void;
/** nodemailer's hook for a socket of our own (only in the main thread: a function does not cross into a worker). */
export type GetSocket = (o: { host: string; port: number }, done: SocketCallback) => void;

export function nodemailerPool(s: PoolSettings, getSocket?: GetSocket) {
  return nodemailer.createTransport({
    url: s.url,
    pool: true,
    maxConnections: s.connections,
    maxMessages: Infinity,
    requireTLS: s.requireTLS,
    ...(s.perSecond > 0 ? { rateDelta: 1000, rateLimit: s.perSecond } : {}),
    tls: s.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    dkim: s.dkim ? { domainName: s.dkim.domain, keySelector: s.dkim.selector, privateKey: s.dkim.privateKey, headerFieldNames: DKIM_HEADERS } : undefined,
    getSocket,
  } as Parameters<typeof nodemailer.createTransport>[0]);
}

/** What of a nodemailer error the classification (classifyFailure, tlsRefusal) reads: it crosses threads as plain data. */
export interface SendFailure {
  message: string;
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
}

export function sendFailure(e: unknown): SendFailure {
  const err = e as SendFailure;
  return { message: String(err?.message ?? e), code: err?.code, command: err?.command, response: err?.response, responseCode: err?.responseCode };
}

export function failureError(f: SendFailure): Error {
  const { message, ...fields } = f;
  return Object.assign(new Error(message), fields);
}
