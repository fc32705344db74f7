// The Subscriber as the rest of event-digest sees it, and which statuses are suppressions.

export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** Addresses in these states are never mailed and never brought back without an explicit reactivation. */
export const SUPPRESSED_STATUSES: readonly SubscriberStatus[] = ['unsubscribed', 'bounced', 'complained'];

export function isSuppressed(status: SubscriberStatus): boolean {
  return SUPPRESSED_STATUSES.includes(status);
}

export interface Subscriber {
  id: number;
  /** As given, trimmed. */
  email: string;
  /** Trimmed and lower-cased: what uniqueness and look-ups use. */
  emailKey: string;
  name: string | null;
  /** Given apart from the name (an import's first-name column): the greeting uses it. */
  firstName: string | null;
  timezone: string;
  /** The chosen kinds; empty means every configured kind. */
  kinds: string[];
  status: SubscriberStatus;
  /** How it came: `cli`, `import:FILE`, `web`… */
  source: string;
  /** ISO 8601 instants (UTC) from the clock. */
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  /** When it stopped receiving mail: set on unsubscribe, bounce or complaint; cleared on reactivation. */
  unsubscribedAt: string | null;
  /** Where the reader is, as the gazetteer resolved it (src/places); null: every event, as before places. */
  location: ReaderLocation | null;
  /** How far they will go, in the list's unit; null: the list's `radius`. */
  radius: number | null;
}

/** A resolved place: a town's name and its coordinates, never the text typed nor a street address. */
export interface ReaderLocation {
  name: string;
  lat: number;
  lon: number;
}

/** What a caller may set; `undefined` fields keep the stored value (or take the default for a new row). */
export interface SubscriberFields {
  email: string;
  name?: string | null;
  /** Left out (undefined) when the name changes: the stored one is dropped, as it belonged to the old name. */
  firstName?: string | null;
  timezone?: string;
  kinds?: string[];
  /** null clears it. */
  location?: ReaderLocation | null;
  radius?: number | null;
}

export type AddOutcome = 'created' | 'updated' | 'reactivated';
export type RequestOutcome = 'created' | 'pending' | 'active' | 'suppressed';

export interface AddResult {
  subscriber: Subscriber;
  outcome: AddOutcome;
  /** The status before, when the address was already known. */
  previousStatus?: SubscriberStatus;
}

/** One row of a bulk add (a CSV import): a suppressed address is left as it is, never reactivated; a forgotten one is not re-added. */
export type BulkAddResult = { subscriber: Subscriber; outcome: 'created' | 'updated' | 'suppressed' } | { outcome: 'forgotten' };

/** The shape of `subscribers list --json`, and for anyone who prints a subscriber. */
export function subscriberToJson(s: Subscriber) {
  return {
    id: s.id,
    email: s.email,
    name: s.name,
    firstName: s.firstName,
    timezone: s.timezone,
    kinds: s.kinds,
    status: s.status,
    source: s.source,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    confirmedAt: s.confirmedAt,
    unsubscribedAt: s.unsubscribedAt,
    location: s.location,
    radius: s.radius,
  };
}

/** Whom the greeting addresses: the first name when one was given, else the name (undefined: a plain "Hi,"). */
export function greetingName(s: { name: string | null; firstName?: string | null }): string | undefined {
  return s.firstName ?? s.name ?? undefined;
}
