// The organizers' audit trail in PostgreSQL: one row per action, newest read first.
import type { Clock } from '../../clock.ts';
import type { AuditEntry, AuditRepository } from '../store.ts';
import type { Sql } from './database.ts';

const SQL = {
  insert: 'INSERT INTO admin_audit (at, action, detail, client) VALUES ($1, $2, $3, $4)',
  recent: 'SELECT at, action, detail, client FROM admin_audit ORDER BY id DESC LIMIT $1',
};

export class PgAudit implements AuditRepository {
  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
  ) {}

  async record(e: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.sql.run(SQL.insert, [this.clock.now().toISOString(), e.action, e.detail, e.client]);
  }

  async recent(n: number): Promise<AuditEntry[]> {
    return this.sql.rows<AuditEntry>(SQL.recent, [n]);
  }
}
