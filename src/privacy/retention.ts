// Retention: the ledger's per-reader rows and the outbox's files are personal data, kept only as long as config
// `retention` says. `event-digest prune` applies it, and the daemon once a day.
import type { Config } from '../config/schema.ts';
import { pruneOutboxFiles } from '../mail/outbox-files.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 86_400_000;

export interface PruneOutcome {
  /** Ledger rows that became counts without a person; null when the ledger is kept. */
  ledgerRows: number | null;
  /** Outbox files removed; null when the outbox is kept (or there is none). */
  outboxFiles: number | null;
}

export async function applyRetention(store: Store, retention: Config['retention'], outboxDir: string | undefined, now: Date): Promise<PruneOutcome> {
  const ledgerRows = retention.ledgerDays === null ? null : await store.privacy.pruneLedger(new Date(now.getTime() - retention.ledgerDays * DAY_MS));
  const outboxFiles = retention.outboxDays === null || !outboxDir ? null : pruneOutboxFiles(outboxDir, new Date(now.getTime() - retention.outboxDays * DAY_MS));
  return { ledgerRows, outboxFiles };
}

/** "pruned 12 ledger rows older than 365 days (their issues keep the counts); removed 3 outbox files older than 30 days" */
export function pruneSummary(o: PruneOutcome, retention: Config['retention']): string {
  const ledger = o.ledgerRows === null ? 'the ledger is kept (retention.ledgerDays: null)' : `pruned ${o.ledgerRows} ledger row${o.ledgerRows === 1 ? '' : 's'} older than ${retention.ledgerDays} days (their issues keep the counts)`;
  const outbox = o.outboxFiles === null ? 'the outbox is kept' : `removed ${o.outboxFiles} outbox file${o.outboxFiles === 1 ? '' : 's'} older than ${retention.outboxDays} days`;
  return `${ledger}; ${outbox}`;
}
