// Signed per-subscriber link tokens: HMAC-SHA256 over purpose and id, base64url, no address inside.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOKEN_PURPOSES = ['unsubscribe', 'preferences', 'confirm'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

const MAC_BYTES = 32;
const MAX_TOKEN_LENGTH = 128;
// `purpose:id`, or `purpose:id:t` where t is when it was issued (seconds since 1970): confirm links expire.
const BODY_RE = /^(unsubscribe|preferences|confirm):([1-9]\d{0,15})(?::(\d{1,12}))?$/;
const B64URL_RE = /^[A-Za-z0-9_-]+$/;

// The version prefix lets a later format change invalidate nothing by accident.
function mac(secret: string | Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(`event-digest/1\n${body}`).digest();
}

/**
 * `BODY.MAC`, both base64url: BODY is `purpose:id` (or `purpose:id:issuedAt`), so a token can be
 * read but not forged, re-purposed or re-dated.
 */
export function signToken(secret: string | Buffer, purpose: TokenPurpose, subscriberId: number, issuedAt?: Date): string {
  if (!Number.isSafeInteger(subscriberId) || subscriberId < 1) throw new RangeError(`subscriber id ${subscriberId} is not a positive integer`);
  const body = issuedAt === undefined ? `${purpose}:${subscriberId}` : `${purpose}:${subscriberId}:${Math.floor(issuedAt.getTime() / 1000)}`;
  return `${Buffer.from(body).toString('base64url')}.${mac(secret, body).toString('base64url')}`;
}

/** The subscriber id, or undefined for anything not signed with this secret for this purpose. */
export function verifyToken(secret: string | Buffer, purpose: TokenPurpose, token: string): number | undefined {
  return readToken(secret, purpose, token)?.id;
}

/** The id and, for a dated token, when it was issued; undefined for anything not signed with this secret for this purpose. */
export function readToken(secret: string | Buffer, purpose: TokenPurpose, token: string): { id: number; issuedAt?: Date } | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 2) return undefined;
  const body = strictDecode(parts[0])?.toString('utf8');
  const given = strictDecode(parts[1]);
  if (body === undefined || given === undefined || given.length !== MAC_BYTES) return undefined;
  const m = BODY_RE.exec(body);
  if (!m || m[1] !== purpose) return undefined;
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id)) return undefined;
  if (!timingSafeEqual(given, mac(secret, body))) return undefined;
  return m[3] === undefined ? { id } : { id, issuedAt: new Date(Number(m[3]) * 1000) };
}

/**
 * Buffer.from(…, 'base64url') ignores junk and the unused low bits of the last character, so two
 * spellings could decode alike; only the canonical spelling is accepted, so any changed character fails.
 */
function strictDecode(s: string): Buffer | undefined {
  if (!B64URL_RE.test(s)) return undefined;
  const b = Buffer.from(s, 'base64url');
  return b.toString('base64url') === s ? b : undefined;
}
