// `prune`: applies config `retention` now (the daemon does it daily) and rewrites the database file.
import { resolve } from 'node:path';
import { applyRetention, pruneSummary } from '../../privacy/retention.ts';
import type { Context } from '../context.ts';

export async function pruneCommand(ctx: Context, opts: { json?: boolean }): Promise<number> {
  const store = await ctx.openStore();
  const outcome = await applyRetention(store, ctx.config.retention, resolve(ctx.io.cwd, ctx.config.outbox), ctx.clock.now());
  ctx.io.out(opts.json ? JSON.stringify(outcome) : pruneSummary(outcome, ctx.config.retention));
  // By hand, the file is also rewritten (what a forget could not do while a daemon was busy); the daemon's daily prune does not.
  try {
    await store.privacy.compact();
  } catch (e) {
    ctx.io.err(`event-digest: warning: the database could not be compacted just now (${(e as Error).message}); run prune again while the daemon is stopped`);
  }
  return 0;
}
