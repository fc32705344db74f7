// Forgetting a person, for `subscribers forget` and the preferences page's "Delete my data" alike: the store
// erases them (a keyed hash stays as a suppression), their outbox files go, and the database file is compacted.
import { DigestError } from '../errors.ts';
import { eraseOutboxFiles } from '../mail/outbox-files.ts';
import type { Store } from '../store/store.ts';
import type { Subscriber } from '../subscribers/model.ts';

export interface ForgetOutcome {
  subscriberId: number;
  outboxFiles: number;
  /** Why the database could not be compacted just now (SQLite: another process busy with the file; secure_delete already zeroed the rows), if so. */
  notCompacted?: string;
}

/** NOT_FOUND (exit 1) for an unknown address, and for one already forgotten, saying so. */
export async function findToForget(store: Store, email: string): Promise<Subscriber> {
  const s = await store.subscribers.findByEmail(email);
  if (s) return s;
  if (await store.privacy.isForgotten(email)) throw new DigestError('NOT_FOUND', `${email.trim()} was already forgotten; only its keyed hash is kept, as a suppression`);
  throw new DigestError('NOT_FOUND', `no subscriber with the address '${email.trim()}'; nothing to forget`);
}

export async function forgetSubscriber(store: Store, s: Subscriber, outboxDir: string | undefined): Promise<ForgetOutcome> {
  await store.privacy.forget(s.id);
  const outboxFiles = outboxDir ? eraseOutboxFiles(outboxDir, s.email, s.id) : 0;
  try {
    await store.privacy.compact();
  } catch (e) {
    // The erasure is committed; only the rewrite waits (a daemon mid-send holds the file).
    return { subscriberId: s.id, outboxFiles, notCompacted: (e as Error).message };
  }
  return { subscriberId: s.id, outboxFiles };
}
