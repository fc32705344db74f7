// `subscribers add|import|list|remove`: the organizer's view of the list; suppressions are kept and never silently undone.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { escapeControls } from '../../control-chars.ts';
import { DigestError } from '../../errors.ts';
import { checkSubscriber, checkSubscriberWithPlace, splitKinds } from '../../subscribers/input.ts';
import { SUBSCRIBER_STATUSES, isSuppressed, subscriberToJson, type Subscriber, type SubscriberStatus } from '../../subscribers/model.ts';
import type { Context } from '../context.ts';

type Handler = (ctx: Context, opts: any) => Promise<number>;
/** program.ts's withContext: turns a handler into a commander action that gets the Context. */
export type WithContext = (fn: Handler) => (this: Command, opts: unknown) => void;

/** commander passes positional arguments first; fold them into the options the handler gets. */
function withArgument(withContext: WithContext, name: string, fn: Handler) {
  const action = withContext(fn);
  return function (this: Command, value: string, opts: Record<string, unknown>) {
    action.call(this, { ...opts, [name]: value });
  };
}

export function registerSubscribersCommands(program: Command, withContext: WithContext): void {
  const group = program.command('subscribers').description('manage the subscriber list (add, import, list, remove, export, forget)');

  group
    .command('add')
    .description('add an active subscriber, or update the name, zone or kinds of one already on the list')
    .argument('<email>', 'the address')
    .option('--name <name>', 'their name (greets them unless --first-name is given)')
    .option('--first-name <name>', 'the name the greeting uses, "Hi Ann," (as an import\'s first-name column; "" clears it)')
    .option('--tz <zone>', "their IANA time zone (default: configuration timezone; on an update: unchanged)")
    .option('--kinds <a,b>', "kinds of event they want, comma-separated, or 'all' (default: all; on an update: unchanged)")
    .option('--location <place>', 'where they are: "Columbus, OH", "Berlin, Germany" or a US ZIP code (stored as the town and its coordinates; "" clears it)')
    .option('--radius <n>', 'how far they will go, in the configured distanceUnit (default: configuration radius; "" clears it)')
    .option('--reactivate', 'bring back an address that unsubscribed, bounced or complained (only when they asked to come back)')
    .action(withArgument(withContext, 'email', addCommand));

  group
    .command('import')
    .description('add or update subscribers from a CSV file (header email,name,timezone,kinds,location,radius; kinds separated by ";")')
    .argument('<file>', 'the CSV file')
    .option('--columns <map>', 'map other headers: "Email Address=email,First Name=first,Last Name=last" (fields: email, name, first, last, timezone, kinds); other columns are then ignored')
    .action(withArgument(withContext, 'file', importCommand));

  group
    .command('list')
    .description('every subscriber, suppressions included')
    .addOption(new Option('--status <status>', 'only those with this status').choices(SUBSCRIBER_STATUSES))
    .option('--json', 'print a JSON array (email, name, timezone, kinds, status, …)')
    .action(withContext(listCommand));

  group
    .command('remove')
    .description('unsubscribe an address; it stays on the list as a suppression so no import re-adds it')
    .argument('<email>', 'the address')
    .action(withArgument(withContext, 'email', removeCommand));

  group
    .command('export')
    .description('print as JSON everything stored about one person: profile, status history, the issues they were sent')
    .argument('<email>', 'the address')
    .action(withArgument(withContext, 'email', async (ctx, o) => (await import('./subscriber-rights.ts')).exportCommand(ctx, o)));

  group
    .command('forget')
    .description('erase a person (profile, history, ledger links, outbox files); only a keyed hash stays, so no import re-adds them')
    .argument('<email>', 'the address')
    .action(withArgument(withContext, 'email', async (ctx, o) => (await import('./subscriber-rights.ts')).forgetCommand(ctx, o)));
}

interface AddOptions {
  email: string;
  name?: string;
  firstName?: string;
  tz?: string;
  kinds?: string;
  location?: string;
  radius?: string;
  reactivate?: boolean;
}

async function addCommand(ctx: Context, opts: AddOptions): Promise<number> {
  const raw = { email: opts.email, name: opts.name, firstName: opts.firstName, timezone: opts.tz, kinds: opts.kinds === undefined ? undefined : splitKinds(opts.kinds, ','), location: opts.location, radius: opts.radius };
  // The gazetteer only for a --location.
  const checked = opts.location === undefined ? checkSubscriber(raw, ctx.config.kinds) : await checkSubscriberWithPlace(raw, ctx.config.kinds, (await import('../../places/lookup.ts')).gazetteerLookup);
  if (!checked.ok) {
    const option = { email: '', name: '--name: ', firstName: '--first-name: ', timezone: '--tz: ', kinds: '--kinds: ', location: '--location: ', radius: '--radius: ' };
    throw new DigestError('USAGE', checked.problems.map((p) => option[p.field] + p.message).join('; '));
  }
  let result;
  try {
    result = await (await ctx.openStore()).subscribers.add(checked.fields, { source: 'cli', reactivate: opts.reactivate });
  } catch (e) {
    if (e instanceof DigestError && e.code === 'SUPPRESSED') {
      throw new DigestError('SUPPRESSED', `${e.message}; if they asked to come back: event-digest subscribers add ${checked.fields.email} --reactivate`);
    }
    throw e;
  }
  const s = result.subscriber;
  const was = result.previousStatus && result.previousStatus !== 'active' ? ` (was ${result.previousStatus})` : '';
  const verb = result.outcome === 'created' ? 'added' : result.outcome;
  const where = s.location ? `, near ${s.location.name} (${s.radius ?? ctx.config.radius} ${ctx.config.distanceUnit})` : '';
  ctx.io.out(escapeControls(`${verb} ${s.email}${was}: ${s.status}, ${s.timezone}, kinds: ${kindsText(s)}${where}`));
  if ('note' in checked && checked.note) ctx.io.out(escapeControls(`note: ${checked.note}`));
  return 0;
}

async function importCommand(ctx: Context, opts: { file: string; columns?: string }): Promise<number> {
  const { importReportLines, importSubscriberCsv, parseColumnMapping } = await import('../../subscribers/csv-import.ts'); // csv-parse only for import
  const mapping = opts.columns === undefined ? undefined : parseColumnMapping(opts.columns);
  let text: string;
  const path = resolve(ctx.io.cwd, opts.file);
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new DigestError('SOURCE_UNREADABLE', `${path}: ${why}; nothing was imported`);
  }
  const report = await importSubscriberCsv((await ctx.openStore()).subscribers, text, { file: opts.file, kinds: ctx.config.kinds, source: `import:${basename(opts.file)}`, mapping });
  for (const line of importReportLines(opts.file, report)) ctx.io.out(escapeControls(line));
  return report.rejected.length > 0 ? 1 : 0;
}

async function listCommand(ctx: Context, opts: { status?: SubscriberStatus; json?: boolean }): Promise<number> {
  const all = await (await ctx.openStore()).subscribers.list(opts.status);
  if (opts.json) {
    ctx.io.out(JSON.stringify(all.map(subscriberToJson), null, 2));
    return 0;
  }
  if (all.length === 0) {
    ctx.io.out(opts.status ? `no ${opts.status} subscribers` : 'no subscribers');
    return 0;
  }
  // Escaped before the widths are measured, so the columns stay aligned.
  const rows = [['EMAIL', 'NAME', 'TIMEZONE', 'KINDS', 'STATUS'], ...all.map((s) => [s.email, s.name ?? '', s.timezone, kindsText(s), s.status].map((cell) => escapeControls(cell)))];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) ctx.io.out(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
  const counts = SUBSCRIBER_STATUSES.map((st) => [st, all.filter((s) => s.status === st).length] as const).filter(([, n]) => n > 0);
  ctx.io.out(`${all.length} subscriber${all.length === 1 ? '' : 's'}: ${counts.map(([st, n]) => `${n} ${st}`).join(', ')}`);
  return 0;
}

async function removeCommand(ctx: Context, opts: { email: string }): Promise<number> {
  const { subscribers } = await ctx.openStore();
  const found = await subscribers.findByEmail(opts.email);
  if (!found) throw new DigestError('NOT_FOUND', `no subscriber with the address '${opts.email.trim()}'`);
  if (isSuppressed(found.status)) {
    ctx.io.out(escapeControls(`${found.email} was already ${found.status}; kept as a suppression`));
    return 0;
  }
  await subscribers.unsubscribe(found.id);
  ctx.io.out(escapeControls(`removed ${found.email}: unsubscribed, kept as a suppression`));
  return 0;
}

function kindsText(s: Subscriber): string {
  return s.kinds.length === 0 ? 'all' : s.kinds.join(',');
}
