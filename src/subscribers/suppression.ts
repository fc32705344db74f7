// A forgotten address is kept only as a keyed hash: enough to recognise it when it comes back, not to read it.
import { createHmac } from 'node:crypto';
import { emailKey } from './address.ts';

export function suppressionHash(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`suppression:${emailKey(email)}`).digest('hex');
}
