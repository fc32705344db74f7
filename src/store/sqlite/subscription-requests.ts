// The choices of each web subscription request, kept until its confirmation link is followed; used inside the
// subscriber repository's transactions (requestSubscription, confirm), never on its own.
import type Database from 'better-sqlite3';
import type { SubscriberFields } from '../../subscribers/model.ts';
import { REQUEST_KEEP_MS } from '../subscriber-rows.ts';

type Choices = Omit<SubscriberFields, 'email'>;


export class SubscriptionRequests {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      // The first request of a second wins: its link was the first one mailed.
      insert: db.prepare<[number, string, string]>('INSERT INTO subscription_requests (subscriber_id, requested_at, fields) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      find: db.prepare<[number, string], { fields: string }>('SELECT fields FROM subscription_requests WHERE subscriber_id = ? AND requested_at = ?'),
      clear: db.prepare<[number]>('DELETE FROM subscription_requests WHERE subscriber_id = ?'),
      prune: db.prepare<[string]>('DELETE FROM subscription_requests WHERE requested_at < ?'),
    };
  }

  /** Records the request's choices at `at` (whole seconds, the link's issue time). */
  record(subscriberId: number, at: Date, fields: SubscriberFields): void {
    const { email: _email, ...choices } = fields;
    this.q.prune.run(new Date(at.getTime() - REQUEST_KEEP_MS).toISOString());
    this.q.insert.run(subscriberId, at.toISOString(), JSON.stringify(choices));
  }

  /** The choices made with the link issued at `at`, if that request is known. */
  find(subscriberId: number, at: Date): Choices | undefined {
    const r = this.q.find.get(subscriberId, at.toISOString());
    return r && (JSON.parse(r.fields) as Choices);
  }

  /** A confirmed subscriber's requests are spent. */
  clear(subscriberId: number): void {
    this.q.clear.run(subscriberId);
  }
}
