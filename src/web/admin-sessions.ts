// Organizer login sessions: a random id in the cookie, its hash in the store with the issue time and the client;
// the expiry is checked here, on the server, whatever the cookie's own Max-Age says.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { AdminSessionRepository } from '../store/store.ts';

const ID_RE = /^[A-Za-z0-9_-]{43}$/;

const hash = (id: string) => createHash('sha256').update(id).digest('base64url');

export class AdminSessions {
  /** How long a login lasts (config limits.adminSessionHours). */
  readonly ttlMs: number;
  private readonly tokenHash: string;

  constructor(
    private readonly repo: AdminSessionRepository,
    private readonly clock: Clock,
    opts: { token: string; secret: string; ttlMs: number },
  ) {
    this.ttlMs = opts.ttlMs;
    // Keyed, so the database does not hold a plain hash of the token to test guesses against.
    this.tokenHash = createHmac('sha256', opts.secret).update(`event-digest/admin-token\n${opts.token}`).digest('base64url');
  }

  /** A new session for a client who typed the token; returns the cookie's value. Ended and expired ones are swept. */
  async open(client: string): Promise<string> {
    const now = this.clock.now();
    await this.repo.prune(new Date(now.getTime() - this.ttlMs), this.tokenHash);
    const id = randomBytes(32).toString('base64url');
    await this.repo.create({ idHash: hash(id), tokenHash: this.tokenHash, client: printable(client).slice(0, 300), issuedAt: now });
    return id;
  }

  /** Whether the cookie names a live session: known, opened with today's token, younger than the TTL. */
  async valid(id: string): Promise<boolean> {
    if (!ID_RE.test(id)) return false;
    const s = await this.repo.find(hash(id));
    if (!s) return false;
    const age = this.clock.now().getTime() - s.issuedAt.getTime();
    if (s.tokenHash === this.tokenHash && age <= this.ttlMs && age >= -60_000) return true;
    await this.repo.delete(s.idHash);
    return false;
  }

  async end(id: string): Promise<void> {
    if (ID_RE.test(id)) await this.repo.delete(hash(id));
  }
}

/** A User-Agent is the client's to choose: kept without control characters. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
