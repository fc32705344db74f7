// The subscribers table: named statements, and the state changes that keep suppressions suppressed.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { DigestError } from '../errors.ts';
import { emailKey } from './address.ts';
import { isSuppressed, SUBSCRIBER_STATUSES, type Subscriber, type SubscriberFields, type SubscriberStatus } from './model.ts';

interface Row {
  id: number;
  email: string;
  email_key: string;
  name: string | null;
  timezone: string;
  kinds: string;
  status: SubscriberStatus;
  source: string;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

type NewRow = Omit<Row, 'id' | 'confirmed_at' | 'unsubscribed_at'>;
type FieldsRow = Pick<Row, 'id' | 'email' | 'name' | 'timezone' | 'kinds' | 'updated_at'>;
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
      `INSERT INTO subscribers (email, email_key, name, timezone, kinds, status, source, created_at, updated_at)
       VALUES (@email, @email_key, @name, @timezone, @kinds, @status, @source, @created_at, @updated_at)
       RETURNING *`,
    ),
    updateFields: db.prepare<[FieldsRow], Row>(
      `UPDATE subscribers SET email = @email, name = @name, timezone = @timezone, kinds = @kinds, updated_at = @updated_at
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

function toSubscriber(r: Row): Subscriber {
  return {
    id: r.id,
    email: r.email,
    emailKey: r.email_key,
    name: r.name,
    timezone: r.timezone,
    kinds: JSON.parse(r.kinds) as string[],
    status: r.status,
    source: r.source,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    confirmedAt: r.confirmed_at,
    unsubscribedAt: r.unsubscribed_at,
  };
}

export type AddOutcome = 'created' | 'updated' | 'reactivated';
export type RequestOutcome = 'created' | 'pending' | 'active' | 'suppressed';

export interface AddResult {
  subscriber: Subscriber;
  outcome: AddOutcome;
  /** The status before, when the address was already known. */
  previousStatus?: SubscriberStatus;
}

export class SubscriberStore {
  private readonly q: ReturnType<typeof queries>;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    /** The list's `timezone`: the zone of a new subscriber who names none. */
    private readonly defaultTimezone: string,
  ) {
    this.q = queries(db);
  }

  get(id: number): Subscriber | undefined {
    const r = this.q.byId.get(id);
    return r && toSubscriber(r);
  }

  /** Case-insensitive, ignores surrounding spaces. */
  findByEmail(email: string): Subscriber | undefined {
    const r = this.q.byKey.get(emailKey(email));
    return r && toSubscriber(r);
  }

  /** Every subscriber (or those with one status), suppressions included, by address. */
  list(status?: SubscriberStatus): Subscriber[] {
    return (status === undefined ? this.q.all.all() : this.q.byStatus.all(status)).map(toSubscriber);
  }

  /**
   * Every subscriber with a status, by id, a page at a time: a million-address list is never in
   * memory at once, and the connection is free between pages (no open iterator).
   */
  *pages(status: SubscriberStatus, pageSize = 100): Generator<Subscriber[]> {
    for (let after = 0; ; ) {
      const rows = this.q.pageByStatus.all(status, after, pageSize);
      if (rows.length === 0) return;
      after = rows[rows.length - 1].id;
      yield rows.map(toSubscriber);
    }
  }

  /**
   * An organizer adds (or re-adds) an address: it becomes active. A known address gets the
   * fields that were given. A suppressed one is refused with DigestError('SUPPRESSED') unless
   * `reactivate`, because it asked (or its server asked) not to be mailed.
   */
  add(fields: SubscriberFields, opts: { source: string; reactivate?: boolean }): AddResult {
    return this.db.transaction((): AddResult => {
      const existing = this.q.byKey.get(emailKey(fields.email));
      if (!existing) return { subscriber: this.insert(fields, 'active', opts.source), outcome: 'created' };
      if (isSuppressed(existing.status) && !opts.reactivate) {
        throw new DigestError('SUPPRESSED', `${existing.email} is ${existing.status} (suppressed); not reactivated`);
      }
      let row = this.updateFields(existing, fields);
      if (row.status !== 'active') row = this.q.updateStatus.get({ id: row.id, status: 'active', updated_at: this.now(), unsubscribed_at: null })!;
      const outcome = isSuppressed(existing.status) ? 'reactivated' : 'updated';
      return { subscriber: toSubscriber(row), outcome, previousStatus: existing.status };
    })();
  }

  /**
   * Someone asks to subscribe (the web form): a new address is stored as pending until confirm().
   * A pending one gets the new fields; an active or suppressed one is left alone, since the
   * request proves nothing about who sent it.
   */
  requestSubscription(fields: SubscriberFields, source: string): { subscriber: Subscriber; outcome: RequestOutcome } {
    return this.db.transaction(() => {
      const existing = this.q.byKey.get(emailKey(fields.email));
      if (!existing) return { subscriber: this.insert(fields, 'pending', source), outcome: 'created' as const };
      if (existing.status === 'pending') return { subscriber: toSubscriber(this.updateFields(existing, fields)), outcome: 'pending' as const };
      return { subscriber: toSubscriber(existing), outcome: isSuppressed(existing.status) ? ('suppressed' as const) : ('active' as const) };
    })();
  }

  /**
   * The confirmation link was followed: pending → active. An address that unsubscribed before the
   * link was issued (it asked again through the form) becomes active too; a link older than the
   * unsubscribe does not bring it back, and bounced or complained addresses stay suppressed.
   * Returns the subscriber after the change (unchanged if none applied), or undefined for an unknown id.
   */
  confirm(id: number, linkIssuedAt?: Date): Subscriber | undefined {
    return this.db.transaction(() => {
      const existing = this.q.byId.get(id);
      if (!existing) return undefined;
      if (existing.status === 'pending') return toSubscriber(this.q.confirm.get({ id, now: this.now() })!);
      const since = existing.unsubscribed_at;
      if (existing.status === 'unsubscribed' && linkIssuedAt && since && linkIssuedAt.getTime() >= Date.parse(since)) {
        const now = this.now();
        this.q.updateStatus.get({ id, status: 'active', updated_at: now, unsubscribed_at: null });
        return toSubscriber(this.q.confirmedAt.get({ id, now })!);
      }
      return toSubscriber(existing);
    })();
  }

  /** Subscribers by status (every status present, zeros included). */
  countByStatus(): Record<SubscriberStatus, number> {
    const counts = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
    for (const r of this.q.countByStatus.all()) counts[r.status] = r.n;
    return counts;
  }

  /** Active subscribers who get each kind (an empty choice means every kind). */
  activeCountByKind(kinds: readonly string[]): Record<string, number> {
    const counts = Object.fromEntries(kinds.map((k) => [k, 0]));
    for (const r of this.q.activeKinds.all()) {
      const chosen = JSON.parse(r.kinds) as string[];
      for (const k of kinds) if (chosen.length === 0 || chosen.includes(k)) counts[k] += r.n;
    }
    return counts;
  }

  /** Active subscribers per time zone. */
  activeCountByZone(): Map<string, number> {
    return new Map(this.q.activeZones.all().map((r) => [r.timezone, r.n]));
  }

  /** The preferences page: name, zone, kinds (undefined keeps a field). Status is not touched. */
  updatePreferences(id: number, fields: Omit<SubscriberFields, 'email'>): Subscriber | undefined {
    return this.db.transaction(() => {
      const existing = this.q.byId.get(id);
      return existing && toSubscriber(this.updateFields(existing, { ...fields, email: existing.email }));
    })();
  }

  /**
   * Suppresses an address; it stays in the table so nothing re-adds it silently. A bounce or
   * complaint replaces an unsubscribe, not the other way round (they say more about the address).
   * Returns the subscriber after the change, or undefined for an unknown id.
   */
  suppress(id: number, status: 'unsubscribed' | 'bounced' | 'complained'): Subscriber | undefined {
    return this.db.transaction(() => {
      const existing = this.q.byId.get(id);
      if (!existing) return undefined;
      if (status === 'unsubscribed' && isSuppressed(existing.status)) return toSubscriber(existing);
      if (existing.status === status) return toSubscriber(existing);
      const now = this.now();
      return toSubscriber(this.q.updateStatus.get({ id, status, updated_at: now, unsubscribed_at: existing.unsubscribed_at ?? now })!);
    })();
  }

  unsubscribe(id: number): Subscriber | undefined {
    return this.suppress(id, 'unsubscribed');
  }

  private insert(fields: SubscriberFields, status: SubscriberStatus, source: string): Subscriber {
    const now = this.now();
    const row = this.q.insert.get({
      email: fields.email.trim(),
      email_key: emailKey(fields.email),
      name: fields.name ?? null,
      timezone: fields.timezone ?? this.defaultTimezone,
      kinds: JSON.stringify(fields.kinds ?? []),
      status,
      source,
      created_at: now,
      updated_at: now,
    })!;
    return toSubscriber(row);
  }

  /** Writes only what changed, so updated_at means something. */
  private updateFields(existing: Row, fields: SubscriberFields): Row {
    const next = {
      id: existing.id,
      email: fields.email.trim(),
      name: fields.name === undefined ? existing.name : fields.name,
      timezone: fields.timezone ?? existing.timezone,
      kinds: fields.kinds === undefined ? existing.kinds : JSON.stringify(fields.kinds),
    };
    const same = next.email === existing.email && next.name === existing.name && next.timezone === existing.timezone && next.kinds === existing.kinds;
    return same ? existing : this.q.updateFields.get({ ...next, updated_at: this.now() })!;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
