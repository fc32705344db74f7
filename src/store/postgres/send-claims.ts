// Several senders on one issue in PostgreSQL: batches of ledger rows claimed with FOR UPDATE SKIP LOCKED, held
// while the sender's lease in `senders` (on the server's clock) is kept alive by its heartbeat; `status` reads it.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { DeliveryState } from '../../mail/ledger.ts';
import type { ClaimedDelivery, LiveSender, SenderClaim } from '../../mail/send-claim.ts';
import type { RunCounts } from '../../mail/sender.ts';
import type { SendClaimRepository } from '../store.ts';
import type { PgDatabase } from './database.ts';
import type { PgDeliveries } from './deliveries.ts';

const LEASE = "clock_timestamp() + $LEASE * interval '1 millisecond'";

/** A sender whose claims hold: not finished, lease not run out. */
const LIVE = 's.finished_at IS NULL AND s.expires_at > clock_timestamp()';

const SQL = {
  join: `INSERT INTO senders (token, issue_id, holder, started_at, heartbeat_at, expires_at) VALUES ($1, $2, $3, $4, $4, ${LEASE.replace('$LEASE', '$5')})`,
  /**
   * Free rows: queued or sending (a dead sender's message in doubt) that no live sender holds; deferred ones
   * likewise, unless this sender deferred them itself (each sender retries a deferred row once per run at most;
   * the next run tries again). This sender's own queued rows are free to it too (a claim whose answer was lost
   * and was tried again). SKIP LOCKED: rows another sender is claiming this instant are passed over. The batch's
   * rows are then updated by key (`= ANY`), a plan that holds whatever the statistics say: joined to the batch on
   * estimates made before the issue's rows were queued, one claim walked the whole issue once per claimed row.
   */
  claim: `WITH batch AS (
            SELECT d.subscriber_id FROM deliveries d
            WHERE d.issue_id = $1 AND d.state IN ('queued', 'sending', 'deferred')
              AND (d.state <> 'deferred' OR d.claimed_by IS DISTINCT FROM $2)
              AND (d.claimed_by IS NULL OR d.claimed_by = $2
                   OR NOT EXISTS (SELECT 1 FROM senders s WHERE s.token = d.claimed_by AND ${LIVE}))
            ORDER BY d.subscriber_id LIMIT $3
            FOR UPDATE OF d SKIP LOCKED)
          UPDATE deliveries d SET claimed_by = $2
          WHERE d.issue_id = $1 AND d.subscriber_id = ANY (ARRAY(SELECT subscriber_id FROM batch))
          RETURNING d.subscriber_id, d.state, d.message_id, d.attempts`,
  // Other live senders still holding rows not handed over: when the first lease would run out.
  othersPending: `SELECT (extract(epoch FROM min(s.expires_at) - clock_timestamp()) * 1000)::float8 AS ms FROM senders s
                  WHERE s.issue_id = $1 AND s.token <> $2 AND ${LIVE}
                    AND EXISTS (SELECT 1 FROM deliveries d WHERE d.issue_id = $1 AND d.claimed_by = s.token AND d.state IN ('queued', 'sending'))`,
  renew: `UPDATE senders SET heartbeat_at = $2, expires_at = ${LEASE.replace('$LEASE', '$3')}, sent = $4, failed = $5, deferred = $6, skipped = $7 WHERE token = $1`,
  // Finished: its rows not yet sent are free for the others at once.
  finish: 'UPDATE senders SET heartbeat_at = $2, finished_at = $2, sent = $3, failed = $4, deferred = $5, skipped = $6 WHERE token = $1',
  live: `SELECT issue_id, holder, started_at, heartbeat_at, sent FROM senders s WHERE ${LIVE} ORDER BY issue_id, started_at, holder`,
};

export class PgSendClaims implements SendClaimRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly deliveries: PgDeliveries,
    private readonly clock: Clock,
  ) {}

  async join(issueId: number, sender: { pid: number; host: string }, leaseMs: number): Promise<SenderClaim> {
    const token = randomBytes(12).toString('hex');
    const now = () => this.clock.now().toISOString();
    await this.db.run(SQL.join, [token, issueId, `pid ${sender.pid} on ${sender.host}`, now(), leaseMs]);
    const tally = (c: RunCounts) => [c.sent, c.failed, c.deferred, c.skipped];
    return {
      claim: async (limit) => {
        const rows = await this.db.rows<{ subscriber_id: number; state: DeliveryState; message_id: string; attempts: number }>(SQL.claim, [issueId, token, limit]);
        // The batch's readers in one more statement, not one per message: their status is checked again as each
        // 'sending' is recorded (deliveries' mark), so an unsubscribe during the batch is still honoured.
        const readers = rows.length === 0 ? new Map() : await this.deliveries.recipients(rows.map((r) => r.subscriber_id));
        return rows
          .map((r): ClaimedDelivery => ({ subscriberId: r.subscriber_id, state: r.state, messageId: r.message_id, attempts: r.attempts, recipient: readers.get(r.subscriber_id) }))
          .sort((a, b) => a.subscriberId - b.subscriberId);
      },
      othersPending: async () => (await this.db.row<{ ms: number | null }>(SQL.othersPending, [issueId, token]))?.ms ?? undefined,
      markAll: (changes) => this.deliveries.markAllAs(issueId, changes, token),
      renew: async (counts) => {
        await this.db.run(SQL.renew, [token, now(), leaseMs, ...tally(counts)]);
      },
      leave: async (counts) => {
        await this.db.run(SQL.finish, [token, now(), ...tally(counts)]);
      },
    };
  }

  async live(): Promise<LiveSender[]> {
    const rows = await this.db.rows<{ issue_id: number; holder: string; started_at: string; heartbeat_at: string; sent: number }>(SQL.live);
    return rows.map((r) => ({ issueId: r.issue_id, holder: r.holder, startedAt: r.started_at, heartbeatAt: r.heartbeat_at, sent: r.sent }));
  }
}
