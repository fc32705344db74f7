// The SMTP password never travels in clear: with credentials, smtp:// must upgrade with STARTTLS unless the
// server is this machine or the URL says ?insecure=1.
import { DigestError } from '../../errors.ts';
import { isLoopbackName } from '../../loopback.ts';

export interface SmtpTlsRule {
  /** The URL for nodemailer, `insecure` taken out (nodemailer would read it as an option of its own). */
  url: string;
  /** nodemailer `requireTLS`: no STARTTLS offered (or one stripped on the way) ends the connection before AUTH. */
  requireTLS: boolean;
  /** host:port, for messages (never the credentials). */
  where: string;
}

/** Decided on the URL as configured: the host name as written (never resolved), the credentials, the scheme. */
export function smtpTlsRule(smtpUrl: string): SmtpTlsRule {
  let u: URL;
  try {
    u = new URL(smtpUrl);
  } catch {
    // The URL is not repeated: it may hold a password.
    throw new DigestError('CONFIG', 'SMTP_URL: not a URL (smtp://user:pass@host:port or smtps://…)');
  }
  const insecure = u.searchParams.get('insecure');
  u.searchParams.delete('insecure');
  const credentials = u.username !== '' || u.password !== '';
  const plain = u.protocol === 'smtp:';
  const where = u.host;
  return {
    url: u.toString(),
    requireTLS: plain && credentials && !isLoopbackName(u.hostname) && insecure !== '1' && insecure !== 'true',
    where,
  };
}

/** nodemailer's refusal when STARTTLS was required and did not happen, as one line naming the setting. */
export function tlsRefusal(e: unknown, rule: SmtpTlsRule): DigestError | undefined {
  if (!rule.requireTLS) return undefined;
  const err = e as { code?: string; command?: string; message?: string };
  const aboutTls = err.code === 'ETLS' || err.command === 'STARTTLS' || /STARTTLS/i.test(err.message ?? '');
  if (!aboutTls) return undefined;
  return new DigestError(
    'CONFIG',
    `SMTP_URL: ${rule.where} did not upgrade to TLS (STARTTLS), and the password must not go in clear; use smtps://, a server that offers STARTTLS, or add ?insecure=1 to the URL to allow it`,
  );
}
