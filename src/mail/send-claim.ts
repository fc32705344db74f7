// Several senders on one issue (PostgreSQL): each claims batches of the ledger's unfinished rows under a lease it
// keeps alive; a dead sender's rows come free when its lease runs out. The store makes each step atomic; this
// module names the steps the send loop uses.
import type { DeliveryChange, Recipient, UnfinishedDelivery } from './ledger.ts';
import type { RunCounts } from './sender.ts';

/** A claimed row with its reader as read with the claim (undefined: no longer in the list). */
export interface ClaimedDelivery extends UnfinishedDelivery {
  recipient: Recipient | undefined;
}

/** One sender's place on an issue, from join() to leave(). */
export interface SenderClaim {
  /** The next batch of unfinished rows, claimed for this sender for a lease, with their readers; [] when none is free now. */
  claim(limit: number): Promise<ClaimedDelivery[]>;
  /** Milliseconds until the earliest live lease another sender holds on rows not yet handed over, or undefined when none. */
  othersPending(): Promise<number | undefined>;
  /** The ledger's markAll, where a 'sending' is also refused for a row whose claim this sender lost. */
  markAll(changes: readonly DeliveryChange[]): Promise<number[]>;
  /** Keeps this sender's leases and its heartbeat alive, with its counts so far. */
  renew(counts: RunCounts): Promise<void>;
  /** Frees the rows still claimed (for the others) and records the sender's counts. */
  leave(counts: RunCounts): Promise<void>;
}

/** A sender working on an issue now (`status`). */
export interface LiveSender {
  issueId: number;
  holder: string;
  startedAt: string;
  heartbeatAt: string;
  sent: number;
}
