// One leader among several processes (the scheduler daemons of a list): a session-level advisory lock held on a
// connection of its own. The server frees it the moment that connection ends, so a leader that dies (SIGKILL, a
// lost host) is replaced at the others' next try; nothing has to expire.
import pg from 'pg';
import type { LeadershipRepository } from '../store.ts';
import { LOCK } from './database.ts';

export class PgLeadership implements LeadershipRepository {
  private client: pg.Client | undefined;
  private readonly held = new Set<string>();
  private closed = false;

  constructor(private readonly url: string) {}

  async lead(name: string): Promise<boolean> {
    if (this.closed) return false;
    try {
      const client = await this.connection();
      if (this.held.has(name)) {
        // Still ours while the connection lives; a query proves it does.
        await client.query('SELECT 1');
        return true;
      }
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK.leader, name]);
      if (r.rows[0].ok) this.held.add(name);
      return r.rows[0].ok;
    } catch {
      // The connection broke (the server restarted): whatever it held is gone; the next try starts afresh.
      this.drop();
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.drop();
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => this.drop());
    await client.connect();
    this.client = client;
    return client;
  }

  private drop(): void {
    this.client?.removeAllListeners('error').on('error', () => undefined);
    this.client = undefined;
    this.held.clear();
  }
}
