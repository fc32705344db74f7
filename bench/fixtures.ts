// The benches' shared digest: 40 events in a 3-week window, 20 reader variants, synthetic readers.
import type { CalendarEvent } from '../src/events/model.ts';
import type { ReaderFields } from '../src/render/compile.ts';
import type { DigestSettings, Variant } from '../src/render/digest-view.ts';

export const ZONE = 'America/New_York';
export const SETTINGS: DigestSettings = {
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

/** 40 events in the 3-week window: actions, webinars and conferences, each with a description and two links. */
export function fortyEvents(): CalendarEvent[] {
  const kinds = ['action', 'webinar', 'conference'];
  const zones = ['America/New_York', 'America/Los_Angeles', 'America/Chicago', 'Europe/Berlin'];
  return Array.from({ length: 40 }, (_, i) => {
    const kind = kinds[i % 3];
    const day = 28 + (i % 21);
    const date = new Date(Date.UTC(2016, 10, day)).toISOString().slice(0, 10);
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

export const VARIANTS: Variant[] = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney'].flatMap((zone) =>
  [[], ['webinar'], ['action', 'conference'], ['action', 'webinar']].map((kinds) => ({ zone, kinds })),
);

export const reader = (i: number): ReaderFields => ({
  // Every 7th reader has no name and every 5th a non-ASCII one, so both template shapes and encoded words are in the mix.
  name: i % 7 === 0 ? undefined : i % 5 === 0 ? `Zoë Ünal ${i}` : `Reader ${i}`,
  unsubscribeUrl: `https://digest.example.org/unsubscribe/${i.toString(36)}.QmFzZTY0VXJsU2lnbmF0dXJlT2YzMkJ5dGVz`,
  preferencesUrl: `https://digest.example.org/preferences/${i.toString(36)}.UHJlZmVyZW5jZXNTaWduYXR1cmVPZjMyQnk`,
});

