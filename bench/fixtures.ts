// The benches' (and the screenshots') shared digest: 40 events in a 3-week window, 20 reader variants, synthetic readers.
import type { CalendarEvent } from '../src/events/model.ts';
import type { ReaderFields } from '../src/render/compile.ts';
import type { DigestSettings, Variant } from '../src/render/digest-view.ts';

export const ZONE = 'America/New_York';
export const SETTINGS: DigestSettings = {
  listName: 'Movement Digest',
  intro: 'Here is what is coming up in the next weeks. Pick what you can join, and bring a friend.',
  postalAddress: 'Movement Digest, 1 Main St, Washington, DC 20001',
  subject: '{{highlights}} ({{period}})',
  whyText: 'You receive this because you subscribed to {{listName}}.',
  baseUrl: 'https://digest.example.org',
  kinds: ['action', 'webinar', 'conference'],
  alliedCalendars: [{ name: 'Popular Resistance', label: 'See also the calendar of our ally Popular Resistance.', url: 'https://popularresistance.example.org/calendar' }],
  brand: { color: '#0b57d0' },
  maxPerSection: 10,
  // The issue goes out at 08:00 on its first day, as the default schedule sends it.
  sendTime: (win) => win.startMs + 8 * 3600_000,
};
const DESCRIPTION =
  'Join organizers from across the region to plan the next steps of the campaign. We will review what worked, ' +
  'hear from people on the ground and agree on **three concrete actions**. Bring a friend; details on the ' +
  '[campaign page](https://campaign.example.org/plan). Childcare and ASL interpretation are available on request.';

/** A link as organizing tools write them: about 150 characters, most of it tracking and routing. */
export function longUrl(host: string, path: string, i: number): string {
  const base = `https://${host}/${path}/${100000 + i}/?utm_source=movement-digest&utm_medium=email&utm_campaign=weekly-digest-2016-11-28&referrer=`;
  return (base + 'x'.repeat(150)).slice(0, 150);
}

const TOPICS = ['Phone bank for fair wages', 'Town hall on the transit budget', 'Tenant union meeting', 'Climate strike', 'Know your rights training', 'Community garden workday', 'Voter registration drive', 'Canvass for Measure 12'];
const WEBINARS = ['Organizing 101', 'Messaging that moves people', 'Digital security for activists', 'How a bill becomes law', 'Fundraising for small groups'];
const CONFERENCES = ['Regional organizing summit', 'Housing justice convening', 'Youth climate assembly'];
const PLACES = [
  { zone: 'America/New_York', location: { venue: 'Community Hall', address: '1250 Main St', city: 'Washington', region: 'DC' } },
  { zone: 'America/New_York', location: { venue: 'Riverside Public Library, Room 204', address: '12 Elm St', city: 'Riverside', region: 'NY' } },
  { zone: 'America/Chicago', location: { venue: 'Union Hall Local 32', address: '880 W Lake St', city: 'Chicago', region: 'IL' } },
  { zone: 'America/Los_Angeles', location: { venue: 'Plaza de la Raza', address: '3540 N Mission Rd', city: 'Los Angeles', region: 'CA' } },
];
/** Webinars come from anywhere; the reader sees them in their own zone. */
const WEBINAR_ZONES = ['America/New_York', 'America/Los_Angeles', 'Europe/Berlin'];

/**
 * 40 events in a 3-week window, each with a description and three 150-character links (an RSVP, a share link,
 * the organizer's page), as a real group's calendar has them: actions in person (one weekly, one featured,
 * one tentative), webinars online with a join link, conferences over two days.
 */
export function fortyEvents(): CalendarEvent[] {
  const kinds = ['action', 'webinar', 'conference'];
  return Array.from({ length: 40 }, (_, i) => {
    const kind = kinds[i % 3];
    const day = 28 + (i % 21);
    const date = new Date(Date.UTC(2016, 10, day)).toISOString().slice(0, 10);
    const allDay = kind === 'conference';
    const title =
      kind === 'action' ? `${TOPICS[i % TOPICS.length]} (${i})` : kind === 'webinar' ? `Webinar: ${WEBINARS[i % WEBINARS.length]} (${i})` : `${CONFERENCES[i % CONFERENCES.length]} (${i})`;
    const place = PLACES[i % PLACES.length];
    return {
      id: `event-${i}`,
      title,
      kind,
      allDay,
      start: allDay ? date : `${date}T${String(10 + (i % 9)).padStart(2, '0')}:00:00`,
      end: allDay ? new Date(Date.UTC(2016, 10, day + 1)).toISOString().slice(0, 10) : `${date}T${String(11 + (i % 9)).padStart(2, '0')}:30:00`,
      timezone: kind === 'webinar' ? WEBINAR_ZONES[i % WEBINAR_ZONES.length] : place.zone,
      overrides: [],
      ...(i === 3 ? { recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3', exdates: [], rdates: [] } } : {}),
      ...(i === 6 ? { featured: true } : {}),
      location: kind === 'webinar' ? { online: true, url: `https://zoom.us/j/${8_000_000_000 + i}` } : place.location,
      links: [
        { label: kind === 'webinar' ? 'Register' : 'RSVP', url: longUrl('www.mobilize.us', 'movementdigest/event', i) },
        { label: 'Share on social media', url: longUrl('actionnetwork.org', 'events/share', i) },
        { label: 'Email the organizer', url: longUrl('www.eventbrite.com', 'e/organizer-contact', i) },
      ],
      description: DESCRIPTION,
      organizer: i % 4 === 0 ? 'Riverside Tenants Union' : undefined,
      tags: [],
      status: i === 9 ? 'tentative' : 'confirmed',
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

