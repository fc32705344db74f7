// Suppressions of forgotten addresses (keyed hashes), used inside the subscriber and privacy repositories' transactions.
import type Database from 'better-sqlite3';
import { suppressionHash } from '../../subscribers/suppression.ts';

export class Suppressions {
  private readonly q;

  constructor(
    db: Database.Database,
    /** The key of the hashes (meta's suppression_secret), read when first needed. */
    private readonly secret: () => string,
  ) {
    this.q = {
      has: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM suppressions WHERE address_hash = ?'),
      add: db.prepare<[string, string]>('INSERT INTO suppressions (address_hash, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      lift: db.prepare<[string]>('DELETE FROM suppressions WHERE address_hash = ?'),
    };
  }

  has(email: string): boolean {
    return this.q.has.get(suppressionHash(this.secret(), email)) !== undefined;
  }

  add(email: string, at: string): void {
    this.q.add.run(suppressionHash(this.secret(), email), at);
  }

  /** The person came back (a confirmed double opt-in, or an organizer's --reactivate). */
  lift(email: string): void {
    this.q.lift.run(suppressionHash(this.secret(), email));
  }
}
