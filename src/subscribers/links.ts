// A subscriber's own links in the mail and on the web: signed tokens under baseUrl, never an address.
import { signToken } from './tokens.ts';

export interface ReaderLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

export function appUrl(baseUrl: string, path: string): string {
  return new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

export function readerLinks(baseUrl: string, secret: string, subscriberId: number): ReaderLinks {
  return {
    unsubscribeUrl: appUrl(baseUrl, `unsubscribe/${signToken(secret, 'unsubscribe', subscriberId)}`),
    preferencesUrl: appUrl(baseUrl, `preferences/${signToken(secret, 'preferences', subscriberId)}`),
  };
}
