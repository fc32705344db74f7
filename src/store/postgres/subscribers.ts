// The subscribers table in PostgreSQL: each state change one transaction under the subscribers' advisory lock
// (a read then a write with no other writer between, as SQLite's IMMEDIATE gives), deciding by the shared rules.
import type { Clock } from '../../clock.ts';
import { DigestError } from '../../errors.ts';
import { emailKey } from '../../subscribers/address.ts';
import {
  isSuppressed,
  SUBSCRIBER_STATUSES,
  type AddResult,
  type BulkAddResult,
  type RequestOutcome,
  type Subscriber,
  type SubscriberFields,
  type SubscriberStatus,
} from '../../subscribers/model.ts';
import type { SubscriberPage, SubscriberQuery, SubscriberRepository } from '../store.ts';
import { changedFields, confirmable, newRow, requestOutcome, requestTime, suppressionApplies, toSubscriber, type SubscriberRow as Row } from '../subscriber-rows.ts';
import { LOCK, type PgDatabase, type Sql } from './database.ts';
import { pgSubscriberSearch } from './subscriber-search.ts';
import { clearRequests, findRequest, recordRequest } from './subscription-requests.ts';
import type { PgSuppressions } from './suppressions.ts';

/** Rows per round trip of addAll: 14 arrays of this length are one statement's parameters. */
const BULK_ROWS = 5000;

const SQL = {
  byId: 'SELECT * FROM subscribers WHERE id = $1',
  byKey: 'SELECT * FROM subscribers WHERE email_key = $1',
  all: 'SELECT * FROM subscribers ORDER BY email_key',
  byStatus: 'SELECT * FROM subscribers WHERE status = $1 ORDER BY email_key',
  pageByStatus: 'SELECT * FROM subscribers WHERE status = $1 AND id > $2 ORDER BY id LIMIT $3',
  insert: `INSERT INTO subscribers (email, email_key, name, first_name, timezone, kinds, status, source, created_at, updated_at, place_name, place_lat, place_lon, radius)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
  knownKeys: 'SELECT email_key FROM subscribers WHERE email_key = ANY($1::text[])',
  // The same columns, a row per array element, in the arrays' order (the ids follow it).
  insertMany: `INSERT INTO subscribers (email, email_key, name, first_name, timezone, kinds, status, source, created_at, updated_at, place_name, place_lat, place_lon, radius)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                                    $11::text[], $12::float8[], $13::float8[], $14::int[]) RETURNING *`,
  updateFields: `UPDATE subscribers SET email = $2, name = $3, first_name = $4, timezone = $5, kinds = $6, updated_at = $7,
                   place_name = $8, place_lat = $9, place_lon = $10, radius = $11
                 WHERE id = $1 RETURNING *`,
  updateStatus: 'UPDATE subscribers SET status = $2, updated_at = $3, unsubscribed_at = $4 WHERE id = $1 RETURNING *',
  countByStatus: 'SELECT status, count(*)::int AS n FROM subscribers GROUP BY status',
  activeKinds: "SELECT kinds, count(*)::int AS n FROM subscribers WHERE status = 'active' GROUP BY kinds",
  activeZones: "SELECT timezone, count(*)::int AS n FROM subscribers WHERE status = 'active' GROUP BY timezone",
  confirmedAt: 'UPDATE subscribers SET confirmed_at = $2 WHERE id = $1 RETURNING *',
  confirm: "UPDATE subscribers SET status = 'active', confirmed_at = $2, updated_at = $2 WHERE id = $1 AND status = 'pending' RETURNING *",
};

/** Doc comments of each operation: SubscriberRepository (store.ts). */
export class PgSubscribers implements SubscriberRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly clock: Clock,
    /** The list's `timezone`: the zone of a new subscriber who names none. */
    private readonly defaultTimezone: string,
    /** Forgotten addresses: an organizer's add or import does not bring them back. */
    private readonly suppressions: PgSuppressions,
  ) {}

  async get(id: number): Promise<Subscriber | undefined> {
    const r = await this.db.row<Row>(SQL.byId, [id]);
    return r && toSubscriber(r);
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const r = await this.db.row<Row>(SQL.byKey, [emailKey(email)]);
    return r && toSubscriber(r);
  }

  async list(status?: SubscriberStatus): Promise<Subscriber[]> {
    return (status === undefined ? await this.db.rows<Row>(SQL.all) : await this.db.rows<Row>(SQL.byStatus, [status])).map(toSubscriber);
  }

  async search(query: SubscriberQuery): Promise<SubscriberPage> {
    const { rows, ...page } = await pgSubscriberSearch<Row>(this.db, query);
    return { subscribers: rows.map(toSubscriber), ...page };
  }

  /** A page per query from the last id on: no cursor holds a connection between pages. */
  async *pages(status: SubscriberStatus, pageSize = 100): AsyncGenerator<Subscriber[]> {
    for (let after = 0; ; ) {
      const rows = await this.db.rows<Row>(SQL.pageByStatus, [status, after, pageSize]);
      if (rows.length === 0) return;
      after = rows[rows.length - 1].id;
      yield rows.map(toSubscriber);
    }
  }

  async add(fields: SubscriberFields, opts: { source: string; reactivate?: boolean }): Promise<AddResult> {
    return this.write((sql) => this.addRow(sql, fields, opts));
  }

  async addAll(rows: readonly SubscriberFields[], opts: { source: string }): Promise<BulkAddResult[]> {
    return this.write(async (sql) => {
      const results: BulkAddResult[] = [];
      for (let start = 0; start < rows.length; start += BULK_ROWS) results.push(...(await this.addChunk(sql, rows.slice(start, start + BULK_ROWS), opts.source)));
      return results;
    });
  }

  async requestSubscription(fields: SubscriberFields, source: string): Promise<{ subscriber: Subscriber; outcome: RequestOutcome; requestedAt: Date }> {
    return this.write(async (sql) => {
      const requestedAt = requestTime(this.clock);
      const existing = await sql.row<Row>(SQL.byKey, [emailKey(fields.email)]);
      if (!existing) {
        const subscriber = await this.insert(sql, fields, 'pending', source);
        await recordRequest(sql, subscriber.id, requestedAt, fields);
        return { subscriber, outcome: 'created' as const, requestedAt };
      }
      // An address that left may come back through a link, with the choices made with it.
      if (existing.status === 'pending' || existing.status === 'unsubscribed') await recordRequest(sql, existing.id, requestedAt, fields);
      return { subscriber: toSubscriber(existing), outcome: requestOutcome(existing.status), requestedAt };
    });
  }

  async confirm(id: number, linkIssuedAt?: Date): Promise<Subscriber | undefined> {
    return this.write(async (sql) => {
      const existing = await sql.row<Row>(SQL.byId, [id]);
      if (!existing) return undefined;
      if (!confirmable(existing, linkIssuedAt)) return toSubscriber(existing);
      const choices = linkIssuedAt && (await findRequest(sql, id, linkIssuedAt));
      if (choices) await this.updateFields(sql, existing, { ...choices, email: existing.email });
      await clearRequests(sql, id);
      // A fresh double opt-in is the person asking to come back: a suppression of their forgotten address ends.
      await this.suppressions.lift(sql, existing.email);
      const now = this.now();
      if (existing.status === 'pending') return toSubscriber((await sql.row<Row>(SQL.confirm, [id, now]))!);
      await sql.run(SQL.updateStatus, [id, 'active', now, null]);
      return toSubscriber((await sql.row<Row>(SQL.confirmedAt, [id, now]))!);
    });
  }

  async updatePreferences(id: number, fields: Omit<SubscriberFields, 'email'>): Promise<Subscriber | undefined> {
    return this.write(async (sql) => {
      const existing = await sql.row<Row>(SQL.byId, [id]);
      return existing && toSubscriber(await this.updateFields(sql, existing, { ...fields, email: existing.email }));
    });
  }

  async suppress(id: number, status: 'unsubscribed' | 'bounced' | 'complained'): Promise<Subscriber | undefined> {
    return this.write(async (sql) => {
      const existing = await sql.row<Row>(SQL.byId, [id]);
      if (!existing) return undefined;
      if (!suppressionApplies(existing, status)) return toSubscriber(existing);
      const now = this.now();
      return toSubscriber((await sql.row<Row>(SQL.updateStatus, [id, status, now, existing.unsubscribed_at ?? now]))!);
    });
  }

  async unsubscribe(id: number): Promise<Subscriber | undefined> {
    return this.suppress(id, 'unsubscribed');
  }

  async countByStatus(): Promise<Record<SubscriberStatus, number>> {
    const counts = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
    for (const r of await this.db.rows<{ status: SubscriberStatus; n: number }>(SQL.countByStatus)) counts[r.status] = r.n;
    return counts;
  }

  async activeCountByKind(kinds: readonly string[]): Promise<Record<string, number>> {
    const counts = Object.fromEntries(kinds.map((k) => [k, 0]));
    for (const r of await this.db.rows<{ kinds: string; n: number }>(SQL.activeKinds)) {
      const chosen = JSON.parse(r.kinds) as string[];
      for (const k of kinds) if (chosen.length === 0 || chosen.includes(k)) counts[k] += r.n;
    }
    return counts;
  }

  async activeCountByZone(): Promise<Map<string, number>> {
    return new Map((await this.db.rows<{ timezone: string; n: number }>(SQL.activeZones)).map((r) => [r.timezone, r.n]));
  }

  // ---- the steps, run inside write() ----

  private write<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction(fn, [LOCK.subscribers, 0]);
  }

  private async addRow(sql: Sql, fields: SubscriberFields, opts: { source: string; reactivate?: boolean }): Promise<AddResult> {
    const existing = await sql.row<Row>(SQL.byKey, [emailKey(fields.email)]);
    if (!existing && (await this.suppressions.has(sql, fields.email))) {
      if (!opts.reactivate) throw new DigestError('SUPPRESSED', `${fields.email.trim()} was forgotten at their request (suppressed); not re-added`);
      await this.suppressions.lift(sql, fields.email);
    }
    if (!existing) return { subscriber: await this.insert(sql, fields, 'active', opts.source), outcome: 'created' };
    if (isSuppressed(existing.status) && !opts.reactivate) {
      throw new DigestError('SUPPRESSED', `${existing.email} is ${existing.status} (suppressed); not reactivated`);
    }
    let row = await this.updateFields(sql, existing, fields);
    if (row.status !== 'active') row = (await sql.row<Row>(SQL.updateStatus, [row.id, 'active', this.now(), null]))!;
    const outcome = isSuppressed(existing.status) ? 'reactivated' : 'updated';
    return { subscriber: toSubscriber(row), outcome, previousStatus: existing.status };
  }

  /**
   * addUnlessSuppressed for each row, in order, with a round trip per chunk instead of several per row (an import of
   * 100,000 took minutes): the addresses new to the list and not forgotten, each the first of its key in the chunk,
   * go in one INSERT in the chunk's order, so ids follow the rows; the rest (known or repeated addresses, which
   * only update, and forgotten ones) then one at a time, seeing those rows.
   */
  private async addChunk(sql: Sql, chunk: readonly SubscriberFields[], source: string): Promise<BulkAddResult[]> {
    const keys = chunk.map((f) => emailKey(f.email));
    const known = new Set((await sql.rows<{ email_key: string }>(SQL.knownKeys, [keys])).map((r) => r.email_key));
    const unknown = chunk.filter((_, i) => !known.has(keys[i]));
    const forgotten = await this.suppressions.among(sql, unknown.map((f) => f.email));
    const seen = new Set<string>();
    const fresh = chunk.flatMap((f, i) => {
      const first = !seen.has(keys[i]);
      seen.add(keys[i]);
      return first && !known.has(keys[i]) && !forgotten.has(f.email) ? [i] : [];
    });
    const results: (BulkAddResult | undefined)[] = new Array(chunk.length);
    if (fresh.length > 0) {
      const now = this.now();
      const made = fresh.map((i) => newRow(chunk[i], 'active', source, this.defaultTimezone, now));
      const columns = (['email', 'email_key', 'name', 'first_name', 'timezone', 'kinds', 'status', 'source', 'created_at', 'updated_at', 'place_name', 'place_lat', 'place_lon', 'radius'] as const).map((c) => made.map((r) => r[c]));
      const inserted = new Map((await sql.rows<Row>(SQL.insertMany, columns)).map((r) => [r.email_key, r]));
      for (const i of fresh) results[i] = { subscriber: toSubscriber(inserted.get(keys[i])!), outcome: 'created' };
    }
    for (let i = 0; i < chunk.length; i++) results[i] ??= await this.addUnlessSuppressed(sql, chunk[i], source);
    return results as BulkAddResult[];
  }

  private async addUnlessSuppressed(sql: Sql, fields: SubscriberFields, source: string): Promise<BulkAddResult> {
    const existing = await sql.row<Row>(SQL.byKey, [emailKey(fields.email)]);
    if (existing && isSuppressed(existing.status)) return { subscriber: toSubscriber(existing), outcome: 'suppressed' };
    if (!existing && (await this.suppressions.has(sql, fields.email))) return { outcome: 'forgotten' };
    const { subscriber, outcome } = await this.addRow(sql, fields, { source });
    return { subscriber, outcome: outcome === 'created' ? 'created' : 'updated' };
  }

  private async insert(sql: Sql, fields: SubscriberFields, status: SubscriberStatus, source: string): Promise<Subscriber> {
    const r = newRow(fields, status, source, this.defaultTimezone, this.now());
    const params = [r.email, r.email_key, r.name, r.first_name, r.timezone, r.kinds, r.status, r.source, r.created_at, r.updated_at, r.place_name, r.place_lat, r.place_lon, r.radius];
    return toSubscriber((await sql.row<Row>(SQL.insert, params))!);
  }

  /** Writes only what changed, so updated_at means something. */
  private async updateFields(sql: Sql, existing: Row, fields: SubscriberFields): Promise<Row> {
    const next = changedFields(existing, fields);
    if (!next) return existing;
    return (await sql.row<Row>(SQL.updateFields, [
      next.id, next.email, next.name, next.first_name, next.timezone, next.kinds, this.now(), next.place_name, next.place_lat, next.place_lon, next.radius,
    ]))!;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
