// Applies a send: for each unfinished ledger row, re-reads the subscriber, hands one message to the
// transport, and records the outcome; the only module that turns a plan into SMTP traffic and ledger rows.
import { DigestError } from '../errors.ts';
import type { CopyPlace, DeliveryChange, Issue, Recipient, UnfinishedDelivery } from './ledger.ts';
import type { SendLock } from './send-lock.ts';
import { classifyFailure, type MailTransport, type OutgoingMessage } from './transport.ts';

export interface RunCounts {
  sent: number;
  skipped: number;
  failed: number;
  deferred: number;
}

export interface SenderDeps {
  /** The store's markAll (DeliveryRepository): state changes in one transaction; returns the refused 'sending's. */
  ledger: { markAll(issueId: number, changes: readonly DeliveryChange[]): Promise<number[]> };
  /** get: the subscriber as they are now (re-read before each message). */
  subscribers: { get(id: number): Promise<Recipient | undefined>; suppress(id: number, status: 'bounced'): Promise<unknown> };
  transport: MailTransport;
  /** The message for one reader, or why they get none this time. */
  message(subscriber: Recipient, messageId: string): Promise<OutgoingMessage | { skip: string }>;
  /** Temporary failures: tries after the first, with exponential backoff from backoffMs. */
  retries: number;
  backoffMs: number;
  /** Stop after this many failures in a row (a dead server should not burn through the list). */
  stopAfterFailures: number;
  sleep?: (ms: number) => Promise<void>;
  lock?: SendLock;
  /** How often the lock is refreshed (default 5 s). */
  heartbeatMs?: number;
  /** Checked before each new message: a graceful stop lets those in flight finish. */
  stopRequested?: () => string | undefined;
  onProgress?: (done: number, total: number, counts: RunCounts) => void;
}

export interface RunResult {
  counts: RunCounts;
  total: number;
  /** Why the run stopped early, if it did. */
  stopped?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export async function runSend(issue: Issue, pending: UnfinishedDelivery[], deps: SenderDeps): Promise<RunResult> {
  const counts: RunCounts = { sent: 0, skipped: 0, failed: 0, deferred: 0 };
  const sleep = deps.sleep ?? defaultSleep;
  let next = 0;
  let done = 0;
  let inARow = 0;
  let stopped: string | undefined;
  /** A refusal of the configuration (the SMTP TLS rule): no message can go, so the run ends and the caller is told. */
  let refusal: DigestError | undefined;
  const heartbeat = deps.lock ? setInterval(() => {
    deps.lock?.refresh().then(
      (ours) => void (ours || (stopped ??= 'another sender took over the send lock')),
      (e: Error) => void (stopped ??= `the send lock could not be refreshed: ${e.message}`),
    );
  }, deps.heartbeatMs ?? 5_000) : undefined;
  heartbeat?.unref();

  /**
   * A 'sent' is written together with the worker's next 'sending' (one commit per message, not two).
   * The row of a message the server accepted stays 'sending' only until its worker picks the next
   * one, so the rows in doubt after a crash are still at most one per worker: the in-flight bound.
   *
   * Group commit: what the workers record while one turn of the event loop handles the replies that
   * came in together is committed once, at the end of that turn, and each worker waits for that commit
   * before its message goes to the server. The order per worker is unchanged (reply, then 'sent' with
   * the next 'sending' committed, then the hand-over), so the bound above holds as it did; fewer commits.
   * With a server dialect the commit takes a round trip: a batch opened meanwhile commits on its own, and
   * each worker still waits for the commit holding its changes, so the order per worker stays the same.
   */
  type Change = { subscriberId: number; state: keyof RunCounts | 'sending'; reply?: string | null; kinds?: readonly string[]; place?: CopyPlace | null };
  /** `refused`: the subscribers whose 'sending' the ledger turned into 'skipped' (no longer active at the commit). */
  type Batch = { changes: Change[]; committed: Promise<{ refused: readonly number[] }> };
  let open: Batch | undefined;
  const record = (held: Change[], change: Change): Batch['committed'] => {
    if (!open) {
      const batch: Batch = { changes: [], committed: Promise.resolve({ refused: [] }) };
      batch.committed = new Promise((ok, fail) =>
        setImmediate(() => {
          open = undefined;
          deps.ledger.markAll(issue.id, batch.changes).then((refused) => ok({ refused }), fail);
        }),
      );
      open = batch;
    }
    for (const c of held) open.changes.push(c);
    held.length = 0;
    open.changes.push(change);
    return open.committed;
  };
  const count = (state: keyof RunCounts) => {
    counts[state]++;
    done++;
    deps.onProgress?.(done, pending.length, counts);
  };
  const finish = async (held: Change[], subscriberId: number, state: keyof RunCounts, reply: string | null) => {
    await record(held, { subscriberId, state, reply });
    count(state);
  };

  /** Whether the subscriber may still be mailed: an unsubscribe during the run is honoured here. */
  const stillActive = async (id: number) => (await deps.subscribers.get(id))?.status === 'active';

  async function deliver(item: UnfinishedDelivery, held: Change[]): Promise<void> {
    const subscriber = await deps.subscribers.get(item.subscriberId);
    if (!subscriber || subscriber.status !== 'active') return finish(held, item.subscriberId, 'skipped', `subscriber is ${subscriber?.status ?? 'gone'}`);
    let built: OutgoingMessage | { skip: string };
    try {
      built = await deps.message(subscriber, item.messageId);
    } catch (e) {
      // One unusable address (say, a control character that slipped into an old row) must not stop the run.
      return finish(held, item.subscriberId, 'failed', `message not built: ${(e as Error).message}`);
    }
    if ('skip' in built) return finish(held, item.subscriberId, 'skipped', built.skip);
    for (let attempt = 0; ; attempt++) {
      // Recorded before the hand-over, once per attempt: after a crash, 'sending' rows are the ones in doubt.
      // The ledger checks the status again as it records it: nothing runs between that check and the hand-over.
      // The copy's kinds go with it: later, a correction reaches exactly the readers whose copy listed a change.
      const place = subscriber.location ? { lat: subscriber.location.lat, lon: subscriber.location.lon, radius: subscriber.radius } : null;
      const { refused } = await record(held, { subscriberId: item.subscriberId, state: 'sending', kinds: subscriber.kinds, place });
      if (refused.includes(item.subscriberId)) return count('skipped');
      try {
        const { response } = await deps.transport.send(built);
        inARow = 0;
        held.push({ subscriberId: item.subscriberId, state: 'sent', reply: response });
        return count('sent');
      } catch (e) {
        if (e instanceof DigestError) {
          refusal ??= e;
          return finish(held, item.subscriberId, 'deferred', e.message);
        }
        const failure = classifyFailure(e);
        if (failure.kind === 'permanent') {
          if (failure.bounce) await deps.subscribers.suppress(item.subscriberId, 'bounced');
          inARow++;
          return finish(held, item.subscriberId, 'failed', failure.reply);
        }
        if (attempt >= deps.retries || deps.stopRequested?.()) {
          inARow++;
          return finish(held, item.subscriberId, 'deferred', failure.reply);
        }
        await sleep(deps.backoffMs * 2 ** attempt);
        if (!(await stillActive(item.subscriberId))) return finish(held, item.subscriberId, 'skipped', 'unsubscribed during the run');
      }
    }
  }

  async function worker(): Promise<void> {
    const held: Change[] = [];
    try {
      while (next < pending.length) {
        stopped ??= deps.stopRequested?.();
        if (stopped || refusal) return;
        if (inARow >= deps.stopAfterFailures) {
          stopped = `${inARow} failures in a row`;
          return;
        }
        await deliver(pending[next++], held);
      }
    } finally {
      // This worker's last 'sent' (a commit of its own: the open batch's workers wait for theirs).
      await deps.ledger.markAll(issue.id, held.splice(0));
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.transport.concurrency, pending.length)) }, worker));
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
  if (refusal) throw refusal;
  return { counts, total: pending.length, stopped };
}
