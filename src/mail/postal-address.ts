// Bulk mail must carry the sender's postal address (CAN-SPAM, and the bulk-sender rules of the big mailbox
// providers): no digest, correction or test goes through SMTP without one. The one check every sender calls.
import type { Config } from '../config/schema.ts';
import { DigestError } from '../errors.ts';

export const POSTAL_ADDRESS_PROBLEM =
  'postalAddress (DIGEST_POSTAL_ADDRESS) is empty: bulk mail must carry your postal address (CAN-SPAM, and the big mailbox providers\' sender rules)';

export function postalAddressMissing(config: Pick<Config, 'postalAddress'>): boolean {
  return config.postalAddress.trim() === '';
}

/**
 * Through SMTP without a postal address: DigestError('CONFIG') (exit 2), one line naming the key and its
 * variable. Into the file outbox (or a dry run, `mailing` false): the warning to print, since nothing reaches
 * a reader. Undefined when the address is set.
 */
export function requirePostalAddress(config: Pick<Config, 'postalAddress' | 'smtp'>, mailing = true): string | undefined {
  if (!postalAddressMissing(config)) return undefined;
  if (mailing && config.smtp) throw new DigestError('CONFIG', `${POSTAL_ADDRESS_PROBLEM}; not mailing through SMTP`);
  return `${POSTAL_ADDRESS_PROBLEM}; fine for a trial, but set it before mail goes out through SMTP`;
}
