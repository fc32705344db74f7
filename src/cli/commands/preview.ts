// `preview`: the digest as one reader would get it: digest.html, digest.txt and the full digest.eml.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { selectWindow } from '../../calendar/select.ts';
import { windowFor } from '../../calendar/window.ts';
import { DigestError } from '../../errors.ts';
import { requireValid } from '../../events/sources.ts';
import { prepareVariantMime, rawMessage } from '../../mail/fast-mime.ts';
import { listIdFor } from '../../mail/message.ts';
import type { Variant } from '../../render/digest-view.ts';
import { digestSettings, renderVariant } from '../../render/digest.ts';
import { appUrl, readerLinks, type ReaderLinks } from '../../subscribers/links.ts';
import { parseDateOption, parseZoneOption } from '../args.ts';
import type { Context } from '../context.ts';

export interface PreviewOptions {
  asOf?: string;
  tz?: string;
  kinds?: string;
  subscriber?: string;
  out?: string;
}

export function parseKindsOption(value: string | undefined, known: readonly string[]): string[] {
  if (value === undefined || value.trim() === '') return [];
  const kinds = value.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new DigestError('USAGE', `--kinds: unknown kind '${unknown[0]}' (known: ${known.join(', ')})`);
  return kinds;
}

interface PreviewReader extends ReaderLinks {
  name?: string;
  address: string;
  variant: Variant;
}

/** A real subscriber: their zone, kinds, name and signed links (--tz and --kinds are not mixed in). */
function subscriberReader(ctx: Context, email: string): PreviewReader {
  const store = ctx.openStore();
  const s = store.subscribers.findByEmail(email);
  if (!s) throw new DigestError('NOT_FOUND', `--subscriber: no subscriber ${email}`);
  return { name: s.name ?? undefined, address: s.email, variant: { zone: s.timezone, kinds: s.kinds }, ...readerLinks(ctx.config.baseUrl, store.linkSecret(), s.id) };
}

/** A sample reader with the zone and kinds asked for, and links that are visibly samples. */
function sampleReader(ctx: Context, opts: PreviewOptions): PreviewReader {
  const zone = parseZoneOption(opts.tz, '--tz', ctx.config.timezone);
  const kinds = parseKindsOption(opts.kinds, ctx.config.kinds);
  return {
    name: 'Sample Reader',
    address: 'sample.reader@example.org',
    variant: { zone, kinds },
    unsubscribeUrl: appUrl(ctx.config.baseUrl, 'unsubscribe/sample'),
    preferencesUrl: appUrl(ctx.config.baseUrl, 'preferences/sample'),
  };
}

export async function previewCommand(ctx: Context, opts: PreviewOptions): Promise<number> {
  const { config } = ctx;
  const asOf = parseDateOption(opts.asOf, '--as-of', ctx.clock, config.timezone);
  const reader = opts.subscriber ? subscriberReader(ctx, opts.subscriber) : sampleReader(ctx, opts);
  const calendar = requireValid(await ctx.loadEvents());
  const selection = selectWindow(calendar.events, windowFor(asOf, config.weeks, config.timezone), config.saveTheDate);
  const compiled = await renderVariant(selection, reader.variant, digestSettings(config, calendar));
  const html = compiled.html(reader);
  const text = compiled.text(reader);
  // The same MIME path send uses, so digest.eml is byte for byte what this reader would get.
  const eml = rawMessage(prepareVariantMime(compiled), { name: reader.name, unsubscribeUrl: reader.unsubscribeUrl, preferencesUrl: reader.preferencesUrl }, {
    from: config.from,
    to: { name: reader.name, address: reader.address },
    subject: compiled.subject,
    messageId: `preview.${asOf}@${listIdFor(config.listName, config.from).replace(/^.*<|>$/g, '')}`,
    date: ctx.clock.now(),
    listId: listIdFor(config.listName, config.from),
    unsubscribeUrl: reader.unsubscribeUrl,
  });
  const dir = resolve(ctx.io.cwd, opts.out ?? 'out');
  mkdirSync(dir, { recursive: true });
  const files = { 'digest.html': html, 'digest.txt': text, 'digest.eml': eml };
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), body);
    ctx.io.out(join(opts.out ?? 'out', name));
  }
  if (compiled.view.quiet) ctx.io.err(`note: nothing is scheduled for this reader in ${compiled.view.windowLabel}; with quietWeek: skip no issue would be sent`);
  return 0;
}
