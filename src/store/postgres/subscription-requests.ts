// The choices of each web subscription request in PostgreSQL, kept until its confirmation link is followed;
// used inside the subscriber repository's transactions (requestSubscription, confirm), never on its own.
import type { SubscriberFields } from '../../subscribers/model.ts';
import { REQUEST_KEEP_MS } from '../subscriber-rows.ts';
import type { Sql } from './database.ts';

type Choices = Omit<SubscriberFields, 'email'>;

const SQL = {
  // The first request of a second wins: its link was the first one mailed.
  insert: 'INSERT INTO subscription_requests (subscriber_id, requested_at, fields) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
  find: 'SELECT fields FROM subscription_requests WHERE subscriber_id = $1 AND requested_at = $2',
  clear: 'DELETE FROM subscription_requests WHERE subscriber_id = $1',
  prune: 'DELETE FROM subscription_requests WHERE requested_at < $1',
};

/** Records the request's choices at `at` (whole seconds, the link's issue time). */
export async function recordRequest(sql: Sql, subscriberId: number, at: Date, fields: SubscriberFields): Promise<void> {
  const { email: _email, ...choices } = fields;
  await sql.run(SQL.prune, [new Date(at.getTime() - REQUEST_KEEP_MS).toISOString()]);
  await sql.run(SQL.insert, [subscriberId, at.toISOString(), JSON.stringify(choices)]);
}

/** The choices made with the link issued at `at`, if that request is known. */
export async function findRequest(sql: Sql, subscriberId: number, at: Date): Promise<Choices | undefined> {
  const r = await sql.row<{ fields: string }>(SQL.find, [subscriberId, at.toISOString()]);
  return r && (JSON.parse(r.fields) as Choices);
}

/** A confirmed subscriber's requests are spent. */
export async function clearRequests(sql: Sql, subscriberId: number): Promise<void> {
  await sql.run(SQL.clear, [subscriberId]);
}
