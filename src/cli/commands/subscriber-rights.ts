// `subscribers export EMAIL` and `subscribers forget EMAIL`: a person's right to see what is kept about them and to be erased.
import { resolve } from 'node:path';
import { DigestError } from '../../errors.ts';
import { findToForget, forgetSubscriber } from '../../privacy/forget.ts';
import { subscriberToJson } from '../../subscribers/model.ts';
import { cliClient } from '../audit-client.ts';
import type { Context } from '../context.ts';

export async function exportCommand(ctx: Context, opts: { email: string }): Promise<number> {
  const store = await ctx.openStore();
  const s = await store.subscribers.findByEmail(opts.email);
  if (!s) {
    const why = (await store.privacy.isForgotten(opts.email)) ? 'was forgotten: nothing is stored about it but a keyed hash (a suppression)' : 'is not on the list: nothing is stored about it';
    throw new DigestError('NOT_FOUND', `${opts.email.trim()} ${why}`);
  }
  const data = await store.privacy.personalData(s.id);
  ctx.io.out(JSON.stringify({ subscriber: subscriberToJson(s), statusHistory: data.history, pendingRequests: data.requests, issues: data.deliveries }, null, 2));
  return 0;
}

export async function forgetCommand(ctx: Context, opts: { email: string }): Promise<number> {
  const store = await ctx.openStore();
  const s = await findToForget(store, opts.email);
  const done = await forgetSubscriber(store, s, resolve(ctx.io.cwd, ctx.config.outbox));
  await store.audit.record({ action: 'forget', detail: `subscriber ${s.id}`, client: cliClient() });
  if (done.notCompacted) ctx.io.err(`event-digest: warning: the database could not be compacted just now (${done.notCompacted}); the rows are erased, but old copies may stay until it is (SQLite: its write-ahead log; PostgreSQL: the tables' free space): run event-digest prune while the daemon is stopped`);
  ctx.io.out(`forgot subscriber ${s.id}: profile, history, requests and ledger links erased, ${done.outboxFiles} outbox file${done.outboxFiles === 1 ? '' : 's'} removed; the address is kept only as a keyed hash, so no import re-adds it`);
  return 0;
}
