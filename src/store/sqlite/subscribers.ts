// The subscribers table in SQLite: named statements, and the state changes that keep suppressions suppressed.
import type Database from 'better-sqlite3';
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
import { changedFields, confirmable, newRow, requestOutcome, requestTime, suppressionApplies, toSubscriber, type FieldsRow, type SubscriberRow } from '../subscriber-rows.ts';
import { subscriberSearch } from './subscriber-search.ts';
import { SubscriptionRequests } from './subscription-requests.ts';
import type { Suppressions } from './suppressions.ts';

type Row = SubscriberRow;
type NewRow = Omit<Row, 'id' | 'confirmed_at' | 'unsubscribed_at'>;
type StatusRow = Pick<Row, 'id' | 'status' | 'updated_at' | 'unsubscribed_at'>;

function queries(db: Database.Database) {
  return {
    byId: db.prepare<[number], Row>('SELECT * FROM subscribers WHERE id = ?'),
    byKey: db.prepare<[string], Row>('SELECT * FROM subscribers WHERE email_key = ?'),
    all: db.prepare<[], Row>('SELECT * FROM subscribers ORDER BY email_key'),
    byStatus: db.prepare<[string], Row>('SELECT * FROM subscribers WHERE status = ? ORDER BY email_key'),
    // NOT INDEXED: walk the table by id from the last page on; the status index would sort every page.
    pageByStatus: db.prepare<[string, number, number], Row>('SELECT * FROM subscribers NOT INDEXED WHERE status = ? AND id > ? ORDER BY id LIMIT ?'),
    insert: db.prepare<[NewRow], Row>(
      `INSERT INTO subscribers (email, email_key, name, first_name, timezone, kinds, status, source, created_at, updated_at, place_name, place_lat, place_lon, radius)
       VALUES (@email, @email_key, @name, @first_name, @timezone, @kinds, @status, @source, @created_at, @updated_at, @place_name, @place_lat, @place_lon, @radius)
       RETURNING *`,
    ),
    updateFields: db.prepare<[FieldsRow & { updated_at: string }], Row>(
      `UPDATE subscribers SET email = @email, name = @name, first_name = @first_name, timezone = @timezone, kinds = @kinds, updated_at = @updated_at,
         place_name = @place_name, place_lat = @place_lat, place_lon = @place_lon, radius = @radius
       WHERE id = @id RETURNING *`,
    ),
    updateStatus: db.prepare<[StatusRow], Row>(
      `UPDATE subscribers SET status = @status, updated_at = @updated_at, unsubscribed_at = @unsubscribed_at
       WHERE id = @id RETURNING *`,
    ),
    countByStatus: db.prepare<[], { status: SubscriberStatus; n: number }>('SELECT status, count(*) AS n FROM subscribers GROUP BY status'),
    activeKinds: db.prepare<[], { kinds: string; n: number }>("SELECT kinds, count(*) AS n FROM subscribers WHERE status = 'active' GROUP BY kinds"),
    activeZones: db.prepare<[], { timezone: string; n: number }>("SELECT timezone, count(*) AS n FROM subscribers WHERE status = 'active' GROUP BY timezone"),
    confirmedAt: db.prepare<[{ id: number; now: string }], Row>('UPDATE subscribers SET confirmed_at = @now WHERE id = @id RETURNING *'),
    confirm: db.prepare<[{ id: number; now: string }], Row>(
      `UPDATE subscribers SET status = 'active', confirmed_at = @now, updated_at = @now
       WHERE id = @id AND status = 'pending' RETURNING *`,
    ),
  };
}

/** Doc comments of each operation: SubscriberRepository (store.ts). */
export class SqliteSubscribers implements SubscriberRepository {
  private readonly q: ReturnType<typeof queries>;
  // Made once each: better-sqlite3 builds a wrapper per db.transaction() call. IMMEDIATE: each reads then
  // writes, and taking the write lock first means no other process can slip in between.
  private readonly addTx;
  private readonly addAllTx;
  private readonly requests: SubscriptionRequests;
  private readonly requestTx;
  private readonly confirmTx;
  private readonly preferencesTx;
  private readonly suppressTx;
  private readonly searchRows;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    /** The list's `timezone`: the zone of a new subscriber who names none. */
    private readonly defaultTimezone: string,
    /** Forgotten addresses: an organizer's add or import does not bring them back. */
    private readonly suppressions: Suppressions,
  ) {
    this.q = queries(db);
    this.searchRows = subscriberSearch<Row>(db);
    this.requests = new SubscriptionRequests(db);
    this.addTx = db.transaction((fields: SubscriberFields, opts: { source: string; reactivate?: boolean }) => this.addRow(fields, opts));
    this.addAllTx = db.transaction((rows: readonly SubscriberFields[], source: string) => rows.map((fields) => this.addUnlessSuppressed(fields, source)));
    this.requestTx = db.transaction((fields: SubscriberFields, source: string) => this.requestRow(fields, source));
    this.confirmTx = db.transaction((id: number, linkIssuedAt?: Date) => this.confirmRow(id, linkIssuedAt));
    this.preferencesTx = db.transaction((id: number, fields: Omit<SubscriberFields, 'email'>) => {
      const existing = this.q.byId.get(id);
      return existing && toSubscriber(this.updateFields(existing, { ...fields, email: existing.email }));
    });
    this.suppressTx = db.transaction((id: number, status: 'unsubscribed' | 'bounced' | 'complained') => this.suppressRow(id, status));
  }

  async get(id: number): Promise<Subscriber | undefined> {
    const r = this.q.byId.get(id);
    return r && toSubscriber(r);
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const r = this.q.byKey.get(emailKey(email));
    return r && toSubscriber(r);
  }

  async list(status?: SubscriberStatus): Promise<Subscriber[]> {
    return (status === undefined ? this.q.all.all() : this.q.byStatus.all(status)).map(toSubscriber);
  }

  async search(query: SubscriberQuery): Promise<SubscriberPage> {
    const { rows, ...page } = await this.searchRows(query);
    return { subscribers: rows.map(toSubscriber), ...page };
  }

  /** A page per query from the last id on: no open iterator holds the connection between pages. */
  async *pages(status: SubscriberStatus, pageSize = 100): AsyncGenerator<Subscriber[]> {
    for (let after = 0; ; ) {
      const rows = this.q.pageByStatus.all(status, after, pageSize);
      if (rows.length === 0) return;
      after = rows[rows.length - 1].id;
      yield rows.map(toSubscriber);
    }
  }

  async add(fields: SubscriberFields, opts: { source: string; reactivate?: boolean }): Promise<AddResult> {
    return this.addTx.immediate(fields, opts);
  }

  async addAll(rows: readonly SubscriberFields[], opts: { source: string }): Promise<BulkAddResult[]> {
    return this.addAllTx.immediate(rows, opts.source);
  }

  async requestSubscription(fields: SubscriberFields, source: string): Promise<{ subscriber: Subscriber; outcome: RequestOutcome; requestedAt: Date }> {
    return this.requestTx.immediate(fields, source);
  }

  async confirm(id: number, linkIssuedAt?: Date): Promise<Subscriber | undefined> {
    return this.confirmTx.immediate(id, linkIssuedAt);
  }

  async updatePreferences(id: number, fields: Omit<SubscriberFields, 'email'>): Promise<Subscriber | undefined> {
    return this.preferencesTx.immediate(id, fields);
  }

  async suppress(id: number, status: 'unsubscribed' | 'bounced' | 'complained'): Promise<Subscriber | undefined> {
    return this.suppressTx.immediate(id, status);
  }

  async unsubscribe(id: number): Promise<Subscriber | undefined> {
    return this.suppressTx.immediate(id, 'unsubscribed');
  }

  async countByStatus(): Promise<Record<SubscriberStatus, number>> {
    const counts = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
    for (const r of this.q.countByStatus.all()) counts[r.status] = r.n;
    return counts;
  }

  async activeCountByKind(kinds: readonly string[]): Promise<Record<string, number>> {
    const counts = Object.fromEntries(kinds.map((k) => [k, 0]));
    for (const r of this.q.activeKinds.all()) {
      const chosen = JSON.parse(r.kinds) as string[];
      for (const k of kinds) if (chosen.length === 0 || chosen.includes(k)) counts[k] += r.n;
    }
    return counts;
  }

  async activeCountByZone(): Promise<Map<string, number>> {
    return new Map(this.q.activeZones.all().map((r) => [r.timezone, r.n]));
  }

  // ---- the steps, run inside the transactions above ----

  private addRow(fields: SubscriberFields, opts: { source: string; reactivate?: boolean }): AddResult {
    const existing = this.q.byKey.get(emailKey(fields.email));
    if (!existing && this.suppressions.has(fields.email)) {
      if (!opts.reactivate) throw new DigestError('SUPPRESSED', `${fields.email.trim()} was forgotten at their request (suppressed); not re-added`);
      this.suppressions.lift(fields.email);
    }
    if (!existing) return { subscriber: this.insert(fields, 'active', opts.source), outcome: 'created' };
    if (isSuppressed(existing.status) && !opts.reactivate) {
      throw new DigestError('SUPPRESSED', `${existing.email} is ${existing.status} (suppressed); not reactivated`);
    }
    let row = this.updateFields(existing, fields);
    if (row.status !== 'active') row = this.q.updateStatus.get({ id: row.id, status: 'active', updated_at: this.now(), unsubscribed_at: null })!;
    const outcome = isSuppressed(existing.status) ? 'reactivated' : 'updated';
    return { subscriber: toSubscriber(row), outcome, previousStatus: existing.status };
  }

  private addUnlessSuppressed(fields: SubscriberFields, source: string): BulkAddResult {
    const existing = this.q.byKey.get(emailKey(fields.email));
    if (existing && isSuppressed(existing.status)) return { subscriber: toSubscriber(existing), outcome: 'suppressed' };
    if (!existing && this.suppressions.has(fields.email)) return { outcome: 'forgotten' };
    const { subscriber, outcome } = this.addRow(fields, { source });
    return { subscriber, outcome: outcome === 'created' ? 'created' : 'updated' };
  }

  /** Creates a pending row, or records the request's choices for its link: a pending row's choices change only on confirmation. */
  private requestRow(fields: SubscriberFields, source: string): { subscriber: Subscriber; outcome: RequestOutcome; requestedAt: Date } {
    const requestedAt = requestTime(this.clock);
    const existing = this.q.byKey.get(emailKey(fields.email));
    if (!existing) {
      const subscriber = this.insert(fields, 'pending', source);
      this.requests.record(subscriber.id, requestedAt, fields);
      return { subscriber, outcome: 'created', requestedAt };
    }
    // An address that left may come back through a link, with the choices made with it.
    if (existing.status === 'pending' || existing.status === 'unsubscribed') this.requests.record(existing.id, requestedAt, fields);
    return { subscriber: toSubscriber(existing), outcome: requestOutcome(existing.status), requestedAt };
  }

  /**
   * A link older than the unsubscribe does not bring an address back; bounced and complained ones stay suppressed.
   * The choices made with the link (when its request is known) are applied as it confirms.
   */
  private confirmRow(id: number, linkIssuedAt?: Date): Subscriber | undefined {
    const existing = this.q.byId.get(id);
    if (!existing) return undefined;
    if (!confirmable(existing, linkIssuedAt)) return toSubscriber(existing);
    const choices = linkIssuedAt && this.requests.find(id, linkIssuedAt);
    if (choices) this.updateFields(existing, { ...choices, email: existing.email });
    this.requests.clear(id);
    // A fresh double opt-in is the person asking to come back: a suppression of their forgotten address ends.
    this.suppressions.lift(existing.email);
    if (existing.status === 'pending') return toSubscriber(this.q.confirm.get({ id, now: this.now() })!);
    const now = this.now();
    this.q.updateStatus.get({ id, status: 'active', updated_at: now, unsubscribed_at: null });
    return toSubscriber(this.q.confirmedAt.get({ id, now })!);
  }

  private suppressRow(id: number, status: 'unsubscribed' | 'bounced' | 'complained'): Subscriber | undefined {
    const existing = this.q.byId.get(id);
    if (!existing) return undefined;
    if (!suppressionApplies(existing, status)) return toSubscriber(existing);
    const now = this.now();
    return toSubscriber(this.q.updateStatus.get({ id, status, updated_at: now, unsubscribed_at: existing.unsubscribed_at ?? now })!);
  }

  private insert(fields: SubscriberFields, status: SubscriberStatus, source: string): Subscriber {
    return toSubscriber(this.q.insert.get(newRow(fields, status, source, this.defaultTimezone, this.now()))!);
  }

  /** Writes only what changed, so updated_at means something. */
  private updateFields(existing: Row, fields: SubscriberFields): Row {
    const next = changedFields(existing, fields);
    return next ? this.q.updateFields.get({ ...next, updated_at: this.now() })! : existing;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
