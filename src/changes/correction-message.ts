// The correction mail: "Moved: … now Wed, Dec 7, 3:00 PM EST; Cancelled: …", in the reader's zone, text and HTML.
import Handlebars from 'handlebars';
import type { Config } from '../config/schema.ts';
import { listEnvelope, buildMessage } from '../mail/message.ts';
import { headerText } from '../render/safe-text.ts';
import { appUrl, type ReaderLinks } from '../subscribers/links.ts';
import { pointText } from './badges.ts';
import type { CorrectionChange } from './corrections.ts';

/** One line per change, in the reader's zone. */
export function correctionLine(c: CorrectionChange, zone: string): string {
  const at = (loc: string | null) => (loc ? ` at ${loc}` : '');
  if (c.kind === 'cancelled') return `Cancelled: ${c.before.title}, ${pointText(c.before.start, zone)}${at(c.before.location)}`;
  const placeMoved = 'location' in c.was;
  const timeMoved = c.was.start !== undefined || c.was.end !== undefined;
  const was = `${timeMoved ? pointText(c.before.start, zone) : ''}${placeMoved ? at(c.before.location) : ''}`.trim();
  const now = `${timeMoved ? pointText(c.now.start, zone) : ''}${placeMoved ? (c.now.location ? at(c.now.location) : ' with no place given') : ''}`.trim();
  return `Moved: ${c.before.title}, was ${was}, now ${now}`;
}

export interface CorrectionReader extends ReaderLinks {
  email: string;
  name?: string | null;
  greeting?: string;
  zone: string;
}

const esc = (s: string) => Handlebars.escapeExpression(s);

/** The subject, text and HTML of one reader's correction (the admin page previews these). */
export function correctionBodies(config: Config, issueLabel: string, changes: readonly CorrectionChange[], reader: Omit<CorrectionReader, 'email'>) {
  const lines = changes.map((c) => correctionLine(c, reader.zone));
  const hi = reader.greeting ? `Hi ${reader.greeting},` : 'Hi,';
  const intro = `Since we sent you ${config.listName} for ${issueLabel}, ${lines.length === 1 ? 'this has' : 'these have'} changed:`;
  const calendar = appUrl(config.baseUrl, '');
  const text = [hi, '', intro, '', ...lines, '', `The calendar as it is now: ${calendar}`, '', '-- ', ...(config.postalAddress ? [config.postalAddress] : []), `Manage your preferences: ${reader.preferencesUrl}`, `Unsubscribe: ${reader.unsubscribeUrl}`, ''].join('\n');
  const html = `<!doctype html><html lang="en"><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2328"><p>${esc(hi)}</p><p>${esc(intro)}</p><ul>${lines
    .map((l) => `<li dir="auto">${l.startsWith('Cancelled: ') ? `<strong style="color:#cf222e">Cancelled:</strong> <s>${esc(l.slice(11))}</s>` : `<strong style="color:#9a6700">Moved:</strong> ${esc(l.slice(7))}`}</li>`)
    .join('')}</ul><p><a href="${esc(calendar)}">The calendar as it is now</a></p><hr><p style="font-size:13px;color:#57606a">${config.postalAddress ? `${esc(config.postalAddress)}<br>` : ''}<a href="${esc(reader.preferencesUrl)}">Manage your preferences</a> · <a href="${esc(reader.unsubscribeUrl)}">Unsubscribe</a></p></body></html>`;
  const subject = headerText(`Changed since the last ${config.listName}: ${changes.length} update${changes.length === 1 ? '' : 's'} (${issueLabel})`);
  return { subject, text, html };
}

/** The whole message for one reader. */
export function correctionMessage(config: Config, issueLabel: string, changes: readonly CorrectionChange[], reader: CorrectionReader, messageId: string, date: Date) {
  return buildMessage({
    ...listEnvelope(config),
    to: { name: reader.name ?? undefined, address: reader.email },
    ...correctionBodies(config, issueLabel, changes, reader),
    messageId,
    date,
    unsubscribeUrl: reader.unsubscribeUrl,
  });
}
