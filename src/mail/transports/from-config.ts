// The transport the configuration names: SMTP when `smtp` is set, else the file outbox.
import { resolve } from 'node:path';
import type { Config } from '../../config/schema.ts';
import type { MailTransport } from '../transport.ts';
import { outboxTransport } from './outbox.ts';
import { smtpTransport } from './smtp.ts';

export function transportFromConfig(config: Config, cwd: string): MailTransport {
  if (!config.smtp) return outboxTransport(resolve(cwd, config.outbox));
  return smtpTransport({
    url: config.smtp,
    connections: config.sending.connections,
    perSecond: config.sending.perSecond,
    dkim: config.dkim ? { domain: config.dkim.domain, selector: config.dkim.selector, privateKeyPath: resolve(cwd, config.dkim.privateKey) } : undefined,
  });
}
