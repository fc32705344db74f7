// Is this configuration ready for a real send? Warnings that name the key and its env var; the caller prints them.
import { isLoopbackName } from '../loopback.ts';
import type { Config } from './schema.ts';

export interface ConfigWarning {
  key: string;
  env: string;
  message: string;
}

/** Domains no real mail comes from (RFC 2606 and RFC 6761). */
const RESERVED_DOMAIN = /(^|\.)(localhost|example(\.(com|net|org))?|test|invalid|local)$/i;

export function fromDomain(from: string): string {
  return (/@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? '').toLowerCase();
}

export function preflightWarnings(config: Config): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const domain = fromDomain(config.from);
  if (domain === '' || RESERVED_DOMAIN.test(domain)) {
    warnings.push({
      key: 'from',
      env: 'DIGEST_FROM',
      message: `'${config.from}' is ${domain === '' ? 'not an address' : `at ${domain}, which is not a real mail domain`}: servers reject or junk such mail; use an address at your own domain`,
    });
  }
  const url = new URL(config.baseUrl);
  if (isLoopbackName(url.hostname)) {
    warnings.push({ key: 'baseUrl', env: 'DIGEST_BASE_URL', message: `${config.baseUrl} is this machine only: every link in the mail (unsubscribe included) is dead for readers; set the web app's public address` });
  } else if (url.protocol === 'http:') {
    warnings.push({ key: 'baseUrl', env: 'DIGEST_BASE_URL', message: `${config.baseUrl} is plain http: links and unsubscribe tokens travel in the clear, and mail clients flag them; serve it over https` });
  }
  if (config.postalAddress.trim() === '') {
    warnings.push({ key: 'postalAddress', env: 'DIGEST_POSTAL_ADDRESS', message: 'no postal address: bulk mail must carry one (CAN-SPAM), and its absence counts against the mail with filters' });
  }
  if (!config.smtp) {
    warnings.push({ key: 'smtp', env: 'SMTP_URL', message: `no mail server: send writes .eml files to the outbox (${config.outbox}) and mails nobody` });
  }
  return warnings;
}

export function formatConfigWarning(w: ConfigWarning, where: string): string {
  return `${where}: warning: ${w.key} (${w.env}): ${w.message}`;
}
