// SMTP through nodemailer's pool: connections and rate from configuration, TLS as the URL says, DKIM when set.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { DigestError } from '../../errors.ts';
import type { MailTransport, OutgoingMessage } from '../transport.ts';
import { smtpTlsRule, tlsRefusal } from './smtp-tls.ts';

export interface SmtpOptions {
  url: string;
  connections: number;
  /** Messages per second over all connections; 0 for no limit. */
  perSecond: number;
  dkim?: { domain: string; selector: string; privateKeyPath: string };
  /** Accept self-signed certificates (tests, local relays). */
  allowSelfSigned?: boolean;
  /**
   * How the URL's host name becomes an address to connect to (default: nodemailer's own DNS). The TLS rule
   * and the certificate's name still go by the name as configured; tests point a name at 127.0.0.1.
   */
  lookup?: (host: string) => Promise<string>;
}

/** Headers DKIM signs: nodemailer's defaults leave List-Unsubscribe-Post out, and it must be covered (RFC 8058). */
export const DKIM_HEADERS = 'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Id:List-Unsubscribe:List-Unsubscribe-Post';

type SocketCallback = (err: Error | null, socketOptions?: { connection: Socket }) => void;

export function smtpTransport(opts: SmtpOptions): MailTransport {
  const rule = smtpTlsRule(opts.url);
  const lookup = opts.lookup;
  const transporter = nodemailer.createTransport({
    url: rule.url,
    pool: true,
    maxConnections: opts.connections,
    maxMessages: Infinity,
    requireTLS: rule.requireTLS,
    ...(opts.perSecond > 0 ? { rateDelta: 1000, rateLimit: opts.perSecond } : {}),
    tls: opts.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    dkim: opts.dkim
      ? { domainName: opts.dkim.domain, keySelector: opts.dkim.selector, privateKey: dkimKey(opts.dkim.privateKeyPath), headerFieldNames: DKIM_HEADERS }
      : undefined,
    // nodemailer's hook for a socket of our own: connected to the looked-up address, the session on it unchanged.
    getSocket: lookup
      ? (o: { host: string; port: number }, done: SocketCallback) => {
          lookup(o.host).then((address) => {
            const socket = connect({ host: address, port: o.port });
            socket.once('connect', () => done(null, { connection: socket }));
            socket.once('error', (e) => done(e));
          }, done);
        }
      : undefined,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: `smtp ${rule.where}`,
    concurrency: opts.connections,
    async send(m: OutgoingMessage) {
      try {
        const info = await transporter.sendMail({ envelope: { from: m.from, to: [m.to] }, raw: m.raw });
        return { response: String(info.response) };
      } catch (e) {
        throw tlsRefusal(e, rule) ?? e;
      }
    },
    async close() {
      transporter.close();
    },
  };
}

function dkimKey(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DigestError('CONFIG', `dkim.privateKey: cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
