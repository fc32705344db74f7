// The subscribers table's row as both dialects store it, and the pure rules of its state changes, shared so
// that SQLite (synchronous transactions) and PostgreSQL (asynchronous ones) decide alike.
import type { Clock } from '../clock.ts';
import { emailKey } from '../subscribers/address.ts';
import { isSuppressed, type ReaderLocation, type RequestOutcome, type Subscriber, type SubscriberFields, type SubscriberStatus } from '../subscribers/model.ts';

export interface SubscriberRow {
  id: number;
  email: string;
  email_key: string;
  name: string | null;
  first_name: string | null;
  timezone: string;
  kinds: string;
  status: SubscriberStatus;
  source: string;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  place_name: string | null;
  place_lat: number | null;
  place_lon: number | null;
  radius: number | null;
}

type PlaceColumn = 'place_name' | 'place_lat' | 'place_lon' | 'radius';
export type FieldsRow = Pick<SubscriberRow, 'id' | 'email' | 'name' | 'first_name' | 'timezone' | 'kinds' | PlaceColumn>;

export function toSubscriber(r: SubscriberRow): Subscriber {
  return {
    id: r.id,
    email: r.email,
    emailKey: r.email_key,
    name: r.name,
    firstName: r.first_name,
    timezone: r.timezone,
    kinds: JSON.parse(r.kinds) as string[],
    status: r.status,
    source: r.source,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    confirmedAt: r.confirmed_at,
    unsubscribedAt: r.unsubscribed_at,
    location: placeOf(r),
    radius: r.radius,
  };
}

function placeOf(r: Pick<SubscriberRow, 'place_name' | 'place_lat' | 'place_lon'>): ReaderLocation | null {
  return r.place_name === null || r.place_lat === null || r.place_lon === null ? null : { name: r.place_name, lat: r.place_lat, lon: r.place_lon };
}

/** The place columns for a location (null clears them). */
function placeColumns(l: ReaderLocation | null): Pick<SubscriberRow, 'place_name' | 'place_lat' | 'place_lon'> {
  return { place_name: l?.name ?? null, place_lat: l?.lat ?? null, place_lon: l?.lon ?? null };
}

/** The editable columns after `fields` are applied, or undefined when nothing changes (so updated_at means something). */
export function changedFields(existing: SubscriberRow, fields: SubscriberFields): FieldsRow | undefined {
  const name = fields.name === undefined ? existing.name : fields.name;
  const next = {
    id: existing.id,
    email: fields.email.trim(),
    name,
    // A first name belongs to the name it came with: a new name without one drops it.
    first_name: fields.firstName !== undefined ? fields.firstName : name === existing.name ? existing.first_name : null,
    timezone: fields.timezone ?? existing.timezone,
    kinds: fields.kinds === undefined ? existing.kinds : JSON.stringify(fields.kinds),
    ...(fields.location === undefined ? placeColumns(placeOf(existing)) : placeColumns(fields.location)),
    radius: fields.radius === undefined ? existing.radius : fields.radius,
  };
  const same =
    next.email === existing.email && next.name === existing.name && next.first_name === existing.first_name && next.timezone === existing.timezone && next.kinds === existing.kinds &&
    next.place_name === existing.place_name && next.place_lat === existing.place_lat && next.place_lon === existing.place_lon && next.radius === existing.radius;
  return same ? undefined : next;
}

/** The columns of a new row, as insert() writes them. */
export function newRow(fields: SubscriberFields, status: SubscriberStatus, source: string, defaultTimezone: string, now: string): Omit<SubscriberRow, 'id' | 'confirmed_at' | 'unsubscribed_at'> {
  return {
    email: fields.email.trim(),
    email_key: emailKey(fields.email),
    name: fields.name ?? null,
    first_name: fields.firstName ?? null,
    timezone: fields.timezone ?? defaultTimezone,
    kinds: JSON.stringify(fields.kinds ?? []),
    status,
    source,
    created_at: now,
    updated_at: now,
    ...placeColumns(fields.location ?? null),
    radius: fields.radius ?? null,
  };
}

/** Longer than any confirmation link lives: older subscription requests can no longer be confirmed. */
export const REQUEST_KEEP_MS = 8 * 24 * 3600_000;

/** A web request's issue time: whole seconds, as the confirmation link carries it. */
export const requestTime = (clock: Clock) => new Date(Math.floor(clock.now().getTime() / 1000) * 1000);

export function requestOutcome(status: SubscriberStatus): RequestOutcome {
  return status === 'pending' ? 'pending' : isSuppressed(status) ? 'suppressed' : 'active';
}

/** A confirmation link applies to a pending row, or to one unsubscribed before the link was issued; bounced and complained stay suppressed. */
export function confirmable(existing: SubscriberRow, linkIssuedAt: Date | undefined): boolean {
  const since = existing.unsubscribed_at;
  const comesBack = existing.status === 'unsubscribed' && !!linkIssuedAt && !!since && linkIssuedAt.getTime() >= Date.parse(since);
  return existing.status === 'pending' || comesBack;
}

/** Whether a suppression changes the row: a bounce or complaint replaces an unsubscribe, not the other way round. */
export function suppressionApplies(existing: SubscriberRow, status: 'unsubscribed' | 'bounced' | 'complained'): boolean {
  if (status === 'unsubscribed' && isSuppressed(existing.status)) return false;
  return existing.status !== status;
}
