// One reader's digest exactly as send would build it (HTML, text and the .eml), for `preview` and the admin pages.
import type { ChangeSet } from '../changes/model.ts';
import type { Clock } from '../clock.ts';
import { selectWindow, type Selection } from '../calendar/select.ts';
import { windowFor } from '../calendar/window.ts';
import { selectionPolicy, type Config } from '../config/schema.ts';
import type { Calendar } from '../events/model.ts';
import { clipWarning } from '../render/clip.ts';
import type { CompiledVariant } from '../render/compile.ts';
import type { Variant } from '../render/digest-view.ts';
import { digestSettings, readerVariant, renderVariant } from '../render/digest.ts';
import { appUrl, readerLinks, type ReaderLinks } from '../subscribers/links.ts';
import { greetingName, type Subscriber } from '../subscribers/model.ts';
import { prepareVariantMime, rawMessage } from './fast-mime.ts';
import { listEnvelope, readerEnvelope } from './message.ts';
import { issueNearby } from '../places/event-place.ts';

export interface PreviewReader extends ReaderLinks {
  name?: string;
  /** Whom the greeting addresses, when not the name (a first name). */
  greeting?: string;
  address: string;
  variant: Variant;
}

export interface Preview {
  asOf: string;
  reader: PreviewReader;
  selection: Selection;
  compiled: CompiledVariant;
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** The whole MIME message, headers included, byte for byte what send would hand over. */
  eml: Buffer;
  /** The HTML's size, when Gmail would clip it. */
  clipped?: string;
}

/** A real subscriber: their zone, kinds, name and signed links. */
export function subscriberReader(config: Config, secret: string, s: Subscriber): PreviewReader {
  return { name: s.name ?? undefined, greeting: greetingName(s), address: s.email, variant: readerVariant(s, config), ...readerLinks(config.baseUrl, secret, s.id) };
}

/** A sample reader with the zone and kinds asked for, and links that are visibly samples (they answer 404). */
export function sampleReader(config: Config, variant: Variant): PreviewReader {
  return {
    name: 'Sample Reader',
    address: 'sample.reader@example.org',
    variant,
    unsubscribeUrl: appUrl(config.baseUrl, 'unsubscribe/sample'),
    preferencesUrl: appUrl(config.baseUrl, 'preferences/sample'),
  };
}

export interface PreviewInput {
  config: Config;
  calendar: Calendar;
  clock: Clock;
  asOf: string;
  reader: PreviewReader;
  /** The issue's note (`event-digest note`). */
  note?: string;
  /** Every entry, past maxPerSection (the archive page). */
  full?: boolean;
  /** The selection to render, when not the calendar's for `asOf` (an issue as sent). */
  selection?: Selection;
  /** Change badges against the previous sent issue. */
  changes?: ChangeSet;
}

export async function buildPreview(input: PreviewInput): Promise<Preview> {
  const { config, calendar, asOf, reader } = input;
  const selection = input.selection ?? selectWindow(calendar.events, windowFor(asOf, config.weeks, config.timezone), selectionPolicy(config));
  const nearby = reader.variant.near ? await issueNearby(selection, config.distanceUnit) : undefined;
  const compiled = await renderVariant(selection, reader.variant, digestSettings(config, calendar), { note: input.note, full: input.full, changes: input.changes, nearby });
  const fields = { name: reader.greeting ?? reader.name, unsubscribeUrl: reader.unsubscribeUrl, preferencesUrl: reader.preferencesUrl };
  const list = listEnvelope(config);
  // The same MIME path send uses, so the .eml is what this reader would get.
  const eml = rawMessage(prepareVariantMime(compiled), fields, readerEnvelope(list, {
    to: { name: reader.name, address: reader.address },
    subject: compiled.subject,
    messageId: `preview.${asOf}@${list.listId.replace(/^.*<|>$/g, '')}`,
    date: input.clock.now(),
    unsubscribeUrl: reader.unsubscribeUrl,
  }));
  const html = compiled.html(fields);
  return {
    asOf,
    reader,
    selection,
    compiled,
    subject: compiled.subject,
    preheader: compiled.preheader,
    html,
    text: compiled.text(fields),
    eml,
    clipped: compiled.view.quiet ? undefined : clipWarning(Buffer.byteLength(html)),
  };
}
