// One-off mails to one person (not digests): the subscription confirmation and "you are already subscribed".
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Config } from '../config/schema.ts';
import { headerText } from '../render/safe-text.ts';
import { envelopeAddress } from './send-issue.ts';
import type { OutgoingMessage } from './transport.ts';

export interface Notice {
  to: { name?: string | null; address: string };
  subject: string;
  /** Paragraphs of plain text; the one URL goes in `action`. */
  paragraphs: string[];
  action: { label: string; url: string };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small multipart/alternative message; the outbox files notices under `notices/`. */
export async function noticeMessage(config: Config, n: Notice, date: Date): Promise<OutgoingMessage> {
  const from = envelopeAddress(config.from);
  const messageId = `notice.${randomBytes(9).toString('hex')}@${from.split('@')[1] ?? 'localhost'}`;
  const text = `${n.paragraphs.join('\n\n')}\n\n${n.action.label}:\n${n.action.url}\n\n-- \n${config.listName}\n`;
  const html =
    `<!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2933">` +
    n.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('') +
    `<p><a href="${escapeHtml(n.action.url)}" style="display:inline-block;background:#1d4ed8;color:#fff;padding:10px 18px;border-radius:4px;text-decoration:none">${escapeHtml(n.action.label)}</a></p>` +
    `<p style="color:#52606d;font-size:13px">${escapeHtml(config.listName)}</p></body></html>`;
  const raw = await new MailComposer({
    from: config.from,
    to: { name: headerText(n.to.name ?? ''), address: n.to.address },
    subject: headerText(n.subject),
    text,
    html,
    messageId: `<${messageId}>`,
    date,
    headers: { 'Auto-Submitted': 'auto-generated' },
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
  return { raw, from, to: n.to.address, messageId, issueKey: 'notices' };
}
