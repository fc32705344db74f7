// The send ledger's vocabulary: issues (unique per list and window) and one delivery row per (issue, subscriber).
import type { Subscriber } from '../subscribers/model.ts';

export type DeliveryState = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped' | 'deferred';

export interface Issue {
  id: number;
  list: string;
  windowStart: string;
  windowEnd: string;
  timezone: string;
  subject: string;
  createdAt: string;
}

/** What names an issue and what it says; the store adds the id and the creation time. */
export type IssueFields = Omit<Issue, 'id' | 'createdAt'>;

export interface Counts {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  deferred: number;
}

/** A subscriber as the sender reads them before each message. */
export type Recipient = Pick<Subscriber, 'id' | 'email' | 'name' | 'firstName' | 'timezone' | 'kinds' | 'status' | 'location' | 'radius'>;

export interface UnfinishedDelivery {
  subscriberId: number;
  state: DeliveryState;
  messageId: string;
  attempts: number;
}

export interface Delivery {
  state: DeliveryState;
  attempts: number;
  lastReply: string | null;
  messageId: string;
}

/** One state change of a delivery row; `reply` is the server's answer (or why it was skipped). */
export interface DeliveryChange {
  subscriberId: number;
  state: DeliveryState;
  reply?: string | null;
  /** With 'sending': the kinds of the copy handed over (recorded, so a correction knows whose copy listed what). */
  kinds?: readonly string[];
  /** With 'sending': the place of that copy (null: none, it listed every event), for the same reason. */
  place?: CopyPlace | null;
}

/** Where a copy was for: the reader's coordinates and radius (null: the list's `radius`). */
export interface CopyPlace {
  lat: number;
  lon: number;
  radius: number | null;
}

/** The server's answer shared by some unfinished or failed rows of an issue (`send`'s summary, `status`). */
export interface ReplyCount {
  state: 'failed' | 'deferred';
  reply: string;
  count: number;
}
