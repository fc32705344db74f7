// One digest message as MIME: multipart/alternative (text and HTML) with the list headers the contract names.
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Config } from '../config/schema.ts';
import type { Envelope } from './fast-mime.ts';
import { headerText } from '../render/safe-text.ts';
import { appUrl } from '../subscribers/links.ts';

export interface DigestMessage {
  from: string;
  to: { name?: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Without angle brackets: `issue-12.subscriber-34@example.org`. */
  messageId: string;
  date: Date;
  /** `Event Digest <event-digest.example.org>`. */
  listId: string;
  unsubscribeUrl: string;
  /** Optional mailto for List-Unsubscribe. */
  unsubscribeMailto?: string;
  listArchive?: string;
  listSubscribe?: string;
  replyTo?: string;
}

/** What every digest of a list carries, from configuration: From, List-Id, the archive and subscribe links, Reply-To. */
export function listEnvelope(config: Pick<Config, 'listName' | 'from' | 'baseUrl' | 'replyTo'>) {
  return {
    from: config.from,
    listId: listIdFor(config.listName, config.from),
    listArchive: appUrl(config.baseUrl, 'archive'),
    listSubscribe: appUrl(config.baseUrl, 'subscribe'),
    replyTo: config.replyTo,
  };
}

export type ListEnvelope = ReturnType<typeof listEnvelope>;

/**
 * One reader's Envelope: the list's fields and the reader's. Every field is named, not `{ ...list, to, … }`:
 * V8 gives an object spread followed by further properties a hidden class of its own each time, about 1.4 KB
 * of maps a message that only a mark-compact frees; over a million readers that was most of the memory.
 */
export function readerEnvelope(list: ListEnvelope, reader: Pick<Envelope, 'to' | 'subject' | 'messageId' | 'date' | 'unsubscribeUrl'>): Envelope {
  return {
    from: list.from,
    listId: list.listId,
    listArchive: list.listArchive,
    listSubscribe: list.listSubscribe,
    replyTo: list.replyTo,
    to: reader.to,
    subject: reader.subject,
    messageId: reader.messageId,
    date: reader.date,
    unsubscribeUrl: reader.unsubscribeUrl,
  };
}

/** The `List-Id` of a list: its name and a stable id under the From domain (RFC 2919). */
export function listIdFor(listName: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  const slug = listName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'digest';
  return `${headerText(listName).replace(/[<>"]/g, '')} <${slug}.${domain}>`;
}

export function composeOptions(m: DigestMessage) {
  const unsubscribe = [`<${m.unsubscribeUrl}>`, ...(m.unsubscribeMailto ? [`<${m.unsubscribeMailto}>`] : [])].join(', ');
  return {
    from: m.from,
    to: { name: headerText(m.to.name ?? ''), address: m.to.address },
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    subject: headerText(m.subject),
    text: m.text,
    html: m.html,
    messageId: `<${m.messageId}>`,
    date: m.date,
    // Set as headers, not through nodemailer's `list` option, which would wrap the POST value as a URL (RFC 8058).
    headers: {
      'List-Id': m.listId,
      'List-Unsubscribe': unsubscribe,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      ...(m.listArchive ? { 'List-Archive': `<${m.listArchive}>` } : {}),
      ...(m.listSubscribe ? { 'List-Subscribe': `<${m.listSubscribe}>` } : {}),
      Precedence: 'bulk',
    },
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The full message, headers included, as it would go over the wire. */
export async function buildMessage(m: DigestMessage): Promise<Buffer> {
  return new MailComposer(composeOptions(m)).compile().build();
}
