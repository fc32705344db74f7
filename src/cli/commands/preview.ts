// `preview`: the digest as one reader would get it: digest.html, digest.txt and the full digest.eml.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cutFindings, selectWindow } from '../../calendar/select.ts';
import { windowFor } from '../../calendar/window.ts';
import { changesSincePrevious } from '../../changes/previous.ts';
import { selectionPolicy } from '../../config/schema.ts';
import { DigestError } from '../../errors.ts';
import { formatFinding } from '../../events/finding.ts';
import { requireValid } from '../../events/sources.ts';
import { requirePostalAddress } from '../../mail/postal-address.ts';
import { buildPreview, sampleReader, subscriberReader, type PreviewReader } from '../../mail/preview.ts';
import { issueNote, listSlug } from '../../mail/send-issue.ts';
import { parseDateOption, parseIntOption, parseZoneOption } from '../args.ts';
import { escapeControls } from '../../control-chars.ts';
import { MAX_RADIUS } from '../../subscribers/input.ts';
import type { Context } from '../context.ts';

export interface PreviewOptions {
  asOf?: string;
  tz?: string;
  kinds?: string;
  subscriber?: string;
  near?: string;
  radius?: string;
  out?: string;
}

export function parseKindsOption(value: string | undefined, known: readonly string[]): string[] {
  if (value === undefined || value.trim() === '') return [];
  const kinds = value.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new DigestError('USAGE', `--kinds: unknown kind '${unknown[0]}' (known: ${known.join(', ')})`);
  return kinds;
}

/** A real subscriber (--tz, --kinds and --near are not mixed in), or a sample one with the zone, kinds and place asked for. */
async function readerFor(ctx: Context, opts: PreviewOptions): Promise<{ reader: PreviewReader; subscriberId?: number }> {
  if (opts.radius !== undefined && opts.near === undefined) throw new DigestError('USAGE', '--radius: only with --near PLACE');
  if (opts.near !== undefined && opts.subscriber) throw new DigestError('USAGE', '--near: not with --subscriber (the subscriber\'s own place is used)');
  if (opts.subscriber) {
    const store = await ctx.openStore();
    const s = await store.subscribers.findByEmail(opts.subscriber);
    if (!s) throw new DigestError('NOT_FOUND', `--subscriber: no subscriber ${opts.subscriber}`);
    return { reader: subscriberReader(ctx.config, await store.meta.linkSecret(), s), subscriberId: s.id };
  }
  const zone = parseZoneOption(opts.tz, '--tz', ctx.config.timezone);
  const kinds = parseKindsOption(opts.kinds, ctx.config.kinds);
  if (opts.near === undefined) return { reader: sampleReader(ctx.config, { zone, kinds }) };
  const radius = parseIntOption(opts.radius, '--radius', ctx.config.radius, 1, MAX_RADIUS);
  const { near, note } = await (await import('../../places/near-select.ts')).readerPlaceFor(opts.near, radius);
  if (note) ctx.io.err(escapeControls(`note: ${note}`));
  return { reader: sampleReader(ctx.config, { zone, kinds, near }) };
}

export async function previewCommand(ctx: Context, opts: PreviewOptions): Promise<number> {
  const { config } = ctx;
  const asOf = parseDateOption(opts.asOf, '--as-of', ctx.clock, config.timezone);
  const { reader, subscriberId } = await readerFor(ctx, opts);
  const calendar = requireValid(await ctx.loadEvents());
  const store = await ctx.openStore();
  const note = await issueNote(config, store, asOf);
  // The badges as send would show them: a subscriber who did not get the previous issue sees no changed or cancelled entries.
  const selection = selectWindow(calendar.events, windowFor(asOf, config.weeks, config.timezone), selectionPolicy(config));
  const changes = await changesSincePrevious(store, listSlug(config), calendar, selection);
  if (changes && subscriberId !== undefined) reader.variant = { ...reader.variant, fresh: !changes.received.has(subscriberId) };
  const p = await buildPreview({ config, calendar, clock: ctx.clock, asOf, reader, note, selection, changes: changes?.set });
  for (const f of cutFindings(p.selection)) ctx.io.err(formatFinding(f));
  const dir = resolve(ctx.io.cwd, opts.out ?? 'out');
  mkdirSync(dir, { recursive: true });
  const files = { 'digest.html': p.html, 'digest.txt': p.text, 'digest.eml': p.eml };
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), body);
    ctx.io.out(join(opts.out ?? 'out', name));
  }
  if (p.clipped) ctx.io.err(`warning: ${p.clipped}`);
  const noPostal = requirePostalAddress(ctx.config, false);
  if (noPostal) ctx.io.err(`warning: ${noPostal}`);
  if (p.compiled.view.quiet) ctx.io.err(`note: nothing is scheduled for this reader in ${p.compiled.view.windowLabel}; with quietWeek: skip no issue would be sent`);
  return 0;
}
