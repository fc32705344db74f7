// `prune`: applies config `retention` now (the daemon does it daily).
import { resolve } from 'node:path';
import { applyRetention, pruneSummary } from '../../privacy/retention.ts';
import type { Context } from '../context.ts';

export async function pruneCommand(ctx: Context, opts: { json?: boolean }): Promise<number> {
  const store = await ctx.openStore();
  const outcome = await applyRetention(store, ctx.config.retention, resolve(ctx.io.cwd, ctx.config.outbox), ctx.clock.now());
  ctx.io.out(opts.json ? JSON.stringify(outcome) : pruneSummary(outcome, ctx.config.retention));
  return 0;
}
