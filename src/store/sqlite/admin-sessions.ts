// The organizers' login sessions in SQLite: one row per login, found by the hash of the cookie's id.
import type Database from 'better-sqlite3';
import type { SessionRow } from '../rows.ts';
import type { AdminSession, AdminSessionRepository } from '../store.ts';

export class SqliteAdminSessions implements AdminSessionRepository {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      insert: db.prepare<[string, string, string, string]>('INSERT INTO admin_sessions (id_hash, token_hash, client, issued_at) VALUES (?, ?, ?, ?)'),
      find: db.prepare<[string], SessionRow>('SELECT * FROM admin_sessions WHERE id_hash = ?'),
      delete: db.prepare<[string]>('DELETE FROM admin_sessions WHERE id_hash = ?'),
      prune: db.prepare<[string, string]>('DELETE FROM admin_sessions WHERE issued_at < ? OR token_hash <> ?'),
    };
  }

  async create(s: AdminSession): Promise<void> {
    this.q.insert.run(s.idHash, s.tokenHash, s.client, s.issuedAt.toISOString());
  }

  async find(idHash: string): Promise<AdminSession | undefined> {
    const r = this.q.find.get(idHash);
    return r && { idHash: r.id_hash, tokenHash: r.token_hash, client: r.client, issuedAt: new Date(r.issued_at) };
  }

  async delete(idHash: string): Promise<void> {
    this.q.delete.run(idHash);
  }

  async prune(cutoff: Date, tokenHash: string): Promise<number> {
    return this.q.prune.run(cutoff.toISOString(), tokenHash).changes;
  }
}
