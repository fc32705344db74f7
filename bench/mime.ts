// Benchmarks building digest messages: nodemailer's MailComposer per reader against the prepared fast MIME path.
import type { Bench } from './run.ts';
import { selectWindow } from '../src/calendar/select.ts';
import { windowFor } from '../src/calendar/window.ts';
import { renderVariant } from '../src/render/digest.ts';
import type { ReaderFields } from '../src/render/compile.ts';
import { fortyEvents, reader, SETTINGS, ZONE } from './fixtures.ts';
import { buildMessage, listIdFor } from '../src/mail/message.ts';
import { prepareVariantMime, rawMessage, type Envelope } from '../src/mail/fast-mime.ts';

const FROM = 'Movement Digest <digest@example.org>';
const envelope = (i: number, r: ReaderFields, subject: string): Envelope => ({
  from: FROM,
  to: { name: r.name, address: `reader${i}@example.org` },
  subject,
  messageId: `issue-1.subscriber-${i}@digest.example.org`,
  date: new Date('2016-11-28T13:00:00Z'),
  listId: listIdFor(SETTINGS.listName, FROM),
  unsubscribeUrl: r.unsubscribeUrl,
});

const N = 2_000;
const RUNS = 3;

/** Median of RUNS timed runs (after one short warm-up) of building N messages; bytes from the last run. */
async function measure(build: (i: number) => Buffer | Promise<Buffer>): Promise<{ ms: number; bytes: number }> {
  for (let i = 0; i < 100; i++) await build(i);
  const times: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    (globalThis as { gc?: () => void }).gc?.();
    bytes = 0;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) bytes += (await build(i)).length;
    times.push(performance.now() - t0);
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(RUNS / 2)], bytes };
}

function report(label: string, r: { ms: number; bytes: number }): number {
  const perSecond = N / (r.ms / 1000);
  console.log(`${label}: ${perSecond.toFixed(0).padStart(6)} messages/s, ${(r.bytes / 1e6 / (r.ms / 1000)).toFixed(1).padStart(6)} MB/s, ${((r.ms * 1000) / N).toFixed(0).padStart(5)} µs per message (${(r.bytes / N / 1024).toFixed(1)} KB each, median of ${RUNS} × ${N.toLocaleString('en-US')})`);
  return perSecond;
}

async function run(): Promise<void> {
  const selection = selectWindow(fortyEvents(), windowFor('2016-11-28', 3, ZONE), { kinds: ['conference'], months: 6 });
  const variant = await renderVariant(selection, { zone: ZONE, kinds: [] }, SETTINGS);
  const t0 = performance.now();
  const prepared = prepareVariantMime(variant);
  console.log(`40-event digest: ${selection.occurrences.length} events; prepareVariantMime once per variant: ${(performance.now() - t0).toFixed(1)} ms`);

  // Both sides start from the reader: the reference also runs stage 2 (html/text), which the prepared path replaces.
  const slow = await measure((i) => {
    const r = reader(i);
    return buildMessage({ ...envelope(i, r, variant.subject), text: variant.text(r), html: variant.html(r) });
  });
  const fast = await measure((i) => {
    const r = reader(i);
    return rawMessage(prepared, r, envelope(i, r, variant.subject));
  });
  const a = report('(a) nodemailer MailComposer (stage 2 + build)', slow);
  const b = report('(b) rawMessage (prepared variant)            ', fast);
  console.log(`ratio: ${(b / a).toFixed(0)}× more messages per second with the prepared variant`);
}

export const bench: Bench = { name: 'mime', description: 'digest messages per second: nodemailer MailComposer vs prepared fast MIME', run };
