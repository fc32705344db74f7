// What is checked before mail goes to real readers through a real server: shared by `send`, `corrections` (CLI)
// and the organizer's corrections button (web), so a rule added here applies to all of them.
import type { Config } from '../config/schema.ts';
import { DigestError } from '../errors.ts';
import { isLoopbackName } from '../loopback.ts';
import { requirePostalAddress } from './postal-address.ts';

/** Links to this machine would be dead for every reader; no postal address is no bulk mail (DigestError('CONFIG')). */
export function refuseRealSend(config: Config, what?: string): void {
  const deadLinks = deadLinksProblem(config);
  if (deadLinks) throw new DigestError('CONFIG', `${deadLinks}; not sending${what ? ` ${what}` : ''}`);
  requirePostalAddress(config);
}

/** With a real mail server, links to this machine are dead for every reader (unsubscribe included). */
export function deadLinksProblem(config: Config): string | undefined {
  if (!config.smtp || !isLoopbackName(new URL(config.baseUrl).hostname)) return undefined;
  return `baseUrl (DIGEST_BASE_URL) is ${config.baseUrl}, this machine only: every link in the mail, unsubscribe included, would be dead for readers; set the web app's public address`;
}
