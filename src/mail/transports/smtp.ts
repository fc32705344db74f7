// SMTP through nodemailer's pool: connections and rate from configuration, TLS as the URL says, DKIM when set.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { availableParallelism } from 'node:os';
import { DigestError } from '../../errors.ts';
import type { MailTransport, OutgoingMessage } from '../transport.ts';
import { nodemailerPool, type PoolSettings } from './smtp-pool.ts';
import { smtpTlsRule, tlsRefusal } from './smtp-tls.ts';
import { threadedPool } from './smtp-threads.ts';

export { DKIM_HEADERS } from './smtp-pool.ts';

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
  /** Sending threads (see sendingThreads); default 2 where the machine has two cores or more; 0 or 1: none. */
  threads?: number;
}


/**
 * Sending threads (worker threads, each with its share of the connections) when there is no rate limit and more than
 * one connection: nodemailer escapes every byte of a message for the DATA phase, the bulk of a send's CPU, and the
 * threads do that on other cores. A rate limit keeps the single pool (nodemailer counts it per pool, and a limited
 * send is not short of CPU), and so does an injected `lookup` (a function does not cross into a thread).
 */
export function sendingThreads(opts: Pick<SmtpOptions, 'connections' | 'perSecond' | 'threads' | 'lookup'>): number {
  if (opts.perSecond > 0 || opts.lookup) return 0;
  const wanted = opts.threads ?? Math.min(2, availableParallelism());
  return wanted < 2 || opts.connections < 2 ? 0 : Math.min(wanted, opts.connections);
}

export function smtpTransport(opts: SmtpOptions): MailTransport {
  const rule = smtpTlsRule(opts.url);
  const lookup = opts.lookup;
  const settings: PoolSettings = {
    url: rule.url,
    requireTLS: rule.requireTLS,
    connections: opts.connections,
    perSecond: opts.perSecond,
    dkim: opts.dkim ? { domain: opts.dkim.domain, selector: opts.dkim.selector, privateKey: dkimKey(opts.dkim.privateKeyPath) } : undefined,
    allowSelfSigned: opts.allowSelfSigned,
  };
  const threads = sendingThreads(opts);
  const deliver = threads > 0 ? threadedPool(settings, threads) : pooledDelivery(settings, lookup);
  return {
    name: `smtp ${rule.where}`,
    concurrency: opts.connections,
    async send(m: OutgoingMessage) {
      try {
        return { response: await deliver.send(m.from, m.to, m.raw) };
      } catch (e) {
        throw tlsRefusal(e, rule) ?? e;
      }
    },
    close: () => deliver.close(),
  };
}


/** One nodemailer pool in this thread. */
function pooledDelivery(settings: PoolSettings, lookup: SmtpOptions['lookup']) {
  const transporter = nodemailerPool(
    settings,
    // nodemailer's hook for a socket of our own: connected to the looked-up address, the session on it unchanged.
    lookup
      ? (o, done) => {
          lookup(o.host).then((address) => {
            const socket = connect({ host: address, port: o.port });
            socket.once('connect', () => done(null, { connection: socket }));
            socket.once('error', (e) => done(e));
          }, done);
        }
      : undefined,
  );
  return {
    async send(from: string, to: string, raw: Buffer) {
      const info = await transporter.sendMail({ envelope: { from, to: [to] }, raw });
      return String(info.response);
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
