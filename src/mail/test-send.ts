// A test message: the issue to one address, marked [Test], recorded nowhere (`send --to`, the admin's "send a test").
import { randomBytes } from 'node:crypto';
import { digestSettings, renderVariant } from '../render/digest.ts';
import { appUrl } from '../subscribers/links.ts';
import { greetingName } from '../subscribers/model.ts';
import { prepareVariantMime, rawMessage } from './fast-mime.ts';
import { listEnvelope, readerEnvelope } from './message.ts';
import { envelopeAddress, messageFactory, type SendContext } from './send-issue.ts';
import { classifyFailure, type Failure, type OutgoingMessage } from './transport.ts';

export type TestSendResult = { ok: true; response: string; messageId: string } | { ok: false; failure: Failure; messageId: string };

/** A known address gets its own zone, kinds and links; any other gets the list's default reader with sample links. */
export async function sendTestMessage(sctx: SendContext, to: string): Promise<TestSendResult> {
  const { config, selection, store } = sctx;
  const domain = envelopeAddress(config.from).split('@')[1] ?? 'localhost';
  const messageId = `test.${selection.window.startDate}.${randomBytes(6).toString('hex')}@${domain}`;
  const known = await store.subscribers.findByEmail(to);
  let message: OutgoingMessage | undefined;
  if (known) {
    const m = await (await messageFactory(sctx, 'test', '[Test] '))({ ...known, email: to }, messageId);
    message = 'skip' in m ? undefined : m;
  }
  if (!message) {
    const v = await renderVariant(selection, { zone: known?.timezone ?? config.timezone, kinds: [] }, digestSettings(config, sctx.calendar), { note: sctx.note, changes: sctx.changes?.set });
    const reader = { name: known ? greetingName(known) : undefined, unsubscribeUrl: appUrl(config.baseUrl, 'unsubscribe/sample'), preferencesUrl: appUrl(config.baseUrl, 'preferences/sample') };
    const raw = rawMessage(prepareVariantMime(v), reader, readerEnvelope(listEnvelope(config), {
      to: { address: to },
      subject: `[Test] ${v.subject}`,
      messageId,
      date: sctx.clock.now(),
      unsubscribeUrl: reader.unsubscribeUrl,
    }));
    message = { raw, from: envelopeAddress(config.from), to, messageId, issueKey: 'test' };
  }
  try {
    const r = await sctx.transport.send(message);
    return { ok: true, response: r.response, messageId };
  } catch (e) {
    return { ok: false, failure: classifyFailure(e), messageId };
  }
}
