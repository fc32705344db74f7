// Suppressions of forgotten addresses (keyed hashes) in PostgreSQL, used inside the subscriber and privacy
// repositories' transactions (each step takes the transaction's Sql).
import { suppressionHash } from '../../subscribers/suppression.ts';
import type { Sql } from './database.ts';

const SQL = {
  has: 'SELECT 1 AS one FROM suppressions WHERE address_hash = $1',
  among: 'SELECT address_hash FROM suppressions WHERE address_hash = ANY($1::text[])',
  add: 'INSERT INTO suppressions (address_hash, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  lift: 'DELETE FROM suppressions WHERE address_hash = $1',
};

export class PgSuppressions {
  constructor(
    /** The key of the hashes (meta's suppression_secret), read when first needed. */
    private readonly secret: () => Promise<string>,
  ) {}

  async has(sql: Sql, email: string): Promise<boolean> {
    return (await sql.row(SQL.has, [suppressionHash(await this.secret(), email)])) !== undefined;
  }

  /** Which of the addresses are suppressed, in one query (an import's chunk). */
  async among(sql: Sql, emails: readonly string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const secret = await this.secret();
    const hashes = emails.map((e) => suppressionHash(secret, e));
    const hit = new Set((await sql.rows<{ address_hash: string }>(SQL.among, [hashes])).map((r) => r.address_hash));
    return new Set(emails.filter((_, i) => hit.has(hashes[i])));
  }

  async add(sql: Sql, email: string, at: string): Promise<void> {
    await sql.run(SQL.add, [suppressionHash(await this.secret(), email), at]);
  }

  /** The person came back (a confirmed double opt-in, or an organizer's --reactivate). */
  async lift(sql: Sql, email: string): Promise<void> {
    await sql.run(SQL.lift, [suppressionHash(await this.secret(), email)]);
  }
}
