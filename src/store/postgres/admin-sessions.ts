// The organizers' login sessions in PostgreSQL: one row per login, found by the hash of the cookie's id.
import type { SessionRow } from '../rows.ts';
import type { AdminSession, AdminSessionRepository } from '../store.ts';
import type { Sql } from './database.ts';

const SQL = {
  insert: 'INSERT INTO admin_sessions (id_hash, token_hash, client, issued_at) VALUES ($1, $2, $3, $4)',
  find: 'SELECT * FROM admin_sessions WHERE id_hash = $1',
  delete: 'DELETE FROM admin_sessions WHERE id_hash = $1',
  prune: 'DELETE FROM admin_sessions WHERE issued_at < $1 OR token_hash <> $2',
};

export class PgAdminSessions implements AdminSessionRepository {
  constructor(private readonly sql: Sql) {}

  async create(s: AdminSession): Promise<void> {
    await this.sql.run(SQL.insert, [s.idHash, s.tokenHash, s.client, s.issuedAt.toISOString()]);
  }

  async find(idHash: string): Promise<AdminSession | undefined> {
    const r = await this.sql.row<SessionRow>(SQL.find, [idHash]);
    return r && { idHash: r.id_hash, tokenHash: r.token_hash, client: r.client, issuedAt: new Date(r.issued_at) };
  }

  async delete(idHash: string): Promise<void> {
    await this.sql.run(SQL.delete, [idHash]);
  }

  async prune(cutoff: Date, tokenHash: string): Promise<number> {
    return this.sql.run(SQL.prune, [cutoff.toISOString(), tokenHash]);
  }
}
