// Benchmarks building digest messages: nodemailer's MailComposer per reader against the prepared fast MIME path.
import type { Bench } from './run.ts';
import type { CalendarEvent } from '../src/events/model.ts';
import { selectWindow } from '../src/calendar/select.ts';
import { windowFor } from '../src/calendar/window.ts';
import { renderVariant } from '../src/render/digest.ts';
import type { ReaderFields } from '../src/render/compile.ts';
import type { DigestSettings } from '../src/render/digest-view.ts';
import { buildMessage, listIdFor } from '../src/mail/message.ts';
import { prepareVariantMime, rawMessage, type Envelope } from '../src/mail/fast-mime.ts';

// The render bench's 40-event digest, copied (bench/render.ts exports only its bench) so both measure the same mail.
const ZONE = 'America/New_York';
const SETTINGS: DigestSettings = {
  listName: 'Movement Digest',
  intro: 'Here is what is coming up in the next weeks. Pick what you can join, and bring a friend.',
  postalAddress: 'Movement Digest, 1 Main St, Washington, DC 20001',
  subject: 'This week: {{summary}} ({{window}})',
  whyText: 'You receive this because you subscribed to {{listName}}.',
  baseUrl: 'https://digest.example.org',
  kinds: ['action', 'webinar', 'conference'],
  alliedCalendars: [{ name: 'Popular Resistance', label: 'See also the calendar of our ally Popular Resistance.', url: 'https://popularresistance.example.org/calendar' }],
};
const DESCRIPTION =
  'Join organizers from across the region to plan the next steps of the campaign. We will review what worked, ' +
  'hear from people on the ground and agree on **three concrete actions**. Bring a friend; details on the ' +
  '[campaign page](https://campaign.example.org/plan).';

function fortyEvents(): CalendarEvent[] {
  const kinds = ['action', 'webinar', 'conference'];
  const zones = ['America/New_York', 'America/Los_Angeles', 'America/Chicago', 'Europe/Berlin'];
  return Array.from({ length: 40 }, (_, i) => {
    const kind = kinds[i % 3];
    const date = new Date(Date.UTC(2016, 10, 28 + (i % 21))).toISOString().slice(0, 10);
    const allDay = kind === 'conference';
    return {
      id: `event-${i}`,
      title: `${kind === 'webinar' ? 'Webinar' : kind === 'action' ? 'Rally' : 'Conference'} ${i}: Organizing for a Fair Economy`,
      kind,
      allDay,
      start: allDay ? date : `${date}T${String(10 + (i % 9)).padStart(2, '0')}:00:00`,
      end: allDay ? date : `${date}T${String(11 + (i % 9)).padStart(2, '0')}:30:00`,
      timezone: zones[i % zones.length],
      overrides: [],
      location: kind === 'webinar' ? { online: true } : { venue: 'Community Hall', city: 'Washington', region: 'DC' },
      links: [
        { label: 'Register', url: `https://events.example.org/register/${i}` },
        { label: 'Website', url: `https://events.example.org/e/${i}` },
      ],
      description: DESCRIPTION,
      tags: [],
      status: 'confirmed',
      listAs: 'occurrences',
      source: { path: 'bench', locate: () => ({ line: 1, col: 1 }) },
    };
  });
}

const FROM = 'Movement Digest <digest@example.org>';
// Every 7th reader has no name and every 5th a non-ASCII one, so both shapes and encoded words are in the mix.
const reader = (i: number): ReaderFields => ({
  name: i % 7 === 0 ? undefined : i % 5 === 0 ? `Zoë Ünal ${i}` : `Reader ${i}`,
  unsubscribeUrl: `https://digest.example.org/unsubscribe/${i.toString(36)}.QmFzZTY0VXJsU2lnbmF0dXJlT2YzMkJ5dGVz`,
  preferencesUrl: `https://digest.example.org/preferences/${i.toString(36)}.UHJlZmVyZW5jZXNTaWduYXR1cmVPZjMyQnk`,
});
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
