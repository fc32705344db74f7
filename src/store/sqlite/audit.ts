// The organizers' audit trail in SQLite: one row per action, newest read first.
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { AuditEntry, AuditRepository } from '../store.ts';

export class SqliteAudit implements AuditRepository {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.q = {
      insert: db.prepare<[string, string, string, string]>('INSERT INTO admin_audit (at, action, detail, client) VALUES (?, ?, ?, ?)'),
      recent: db.prepare<[number], AuditEntry>('SELECT at, action, detail, client FROM admin_audit ORDER BY id DESC LIMIT ?'),
    };
  }

  async record(e: Omit<AuditEntry, 'at'>): Promise<void> {
    this.q.insert.run(this.clock.now().toISOString(), e.action, e.detail, e.client);
  }

  async recent(n: number): Promise<AuditEntry[]> {
    return this.q.recent.all(n);
  }
}
