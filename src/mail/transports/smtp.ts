// SMTP through nodemailer's pool: connections and rate from configuration, TLS as the URL says, DKIM when set.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { MailTransport, OutgoingMessage } from '../transport.ts';

export interface SmtpOptions {
  url: string;
  connections: number;
  /** Messages per second over all connections; 0 for no limit. */
  perSecond: number;
  dkim?: { domain: string; selector: string; privateKeyPath: string };
  /** Accept self-signed certificates (tests, local relays). */
  allowSelfSigned?: boolean;
}

/** Headers DKIM signs: nodemailer's defaults leave List-Unsubscribe-Post out, and it must be covered (RFC 8058). */
export const DKIM_HEADERS = 'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Id:List-Unsubscribe:List-Unsubscribe-Post';

export function smtpTransport(opts: SmtpOptions): MailTransport {
  const transporter = nodemailer.createTransport({
    url: opts.url,
    pool: true,
    maxConnections: opts.connections,
    maxMessages: Infinity,
    ...(opts.perSecond > 0 ? { rateDelta: 1000, rateLimit: opts.perSecond } : {}),
    tls: opts.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    dkim: opts.dkim
      ? { domainName: opts.dkim.domain, keySelector: opts.dkim.selector, privateKey: readFileSync(opts.dkim.privateKeyPath, 'utf8'), headerFieldNames: DKIM_HEADERS }
      : undefined,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: `smtp ${new URL(opts.url).host}`,
    concurrency: opts.connections,
    async send(m: OutgoingMessage) {
      const info = await transporter.sendMail({ envelope: { from: m.from, to: [m.to] }, raw: m.raw });
      return { response: String(info.response) };
    },
    async close() {
      transporter.close();
    },
  };
}
