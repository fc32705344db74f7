// The calendar of the change tests: week one as sent, and the same calendar after the organizers' edits.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addSubscribers, sendEnv, type SendEnv } from '../helpers/send-env.ts';

const head = `calendar:
  name: Test Calendar
  timezone: America/New_York
events:
`;

const webinar = (start: string) => `  - id: solar-webinar
    title: "Solar webinar"
    kind: webinar
    start: ${start}
    end: ${start.replace(/T(\d\d)/, (_m, h: string) => `T${String(Number(h) + 1).padStart(2, '0')}`)}
    timezone: America/Los_Angeles
    location: {online: true, url: "https://zoom.us/j/123"}
    links: [{label: Register, url: "https://example.org/solar"}]
`;

const phoneBank = (cancelled: boolean) => `  - id: phone-bank
    title: "Phone bank"
    kind: action
    start: 2016-11-30T18:00
    end: 2016-11-30T20:00
    timezone: America/New_York
    recurrence: {rrule: "FREQ=WEEKLY;COUNT=6"}
    location: {venue: "Union Hall", city: Springfield, region: IL}
${cancelled ? '    overrides:\n      - {recurrenceId: "2016-12-07T18:00", status: cancelled}\n' : ''}`;

const conference = `  - id: democracy-conference
    title: "Democracy conference"
    kind: conference
    start: 2016-12-10
    end: 2016-12-11
    timezone: America/New_York
    location: {venue: "Convention Center", city: Baltimore, region: MD}
`;

const townHall = `  - id: town-hall
    title: "Town hall"
    kind: action
    start: 2016-12-08T19:00
    end: 2016-12-08T20:30
    timezone: America/New_York
    location: {venue: "City Hall", city: Springfield, region: IL}
`;

/** Week one's calendar: the webinar on Tue Dec 6 at 11:00 PST (2:00 PM EST), the weekly phone bank, a conference. */
export const WEEK_ONE = head + webinar('2016-12-06T11:00') + phoneBank(false) + conference;
/** After the edits: the webinar moved to Wed Dec 7 at 12:00 PST, the Dec 7 phone bank cancelled, a town hall added. */
export const EDITED = head + webinar('2016-12-07T12:00') + phoneBank(true) + conference + townHall;

export interface ChangesEnv extends SendEnv {
  eventsPath: string;
  setCalendar(yaml: string): void;
}

/** A send environment over WEEK_ONE with four readers: New York and Berlin (every kind), webinars only, conferences only. */
export async function changesEnv(smtpUrl?: string, extra: Parameters<typeof sendEnv>[0] = {}): Promise<ChangesEnv> {
  const probe = sendEnv({ smtpUrl, ...extra });
  const eventsPath = join(probe.dir, 'events.yaml');
  writeFileSync(eventsPath, WEEK_ONE);
  writeFileSync(join(probe.dir, 'event-digest.config.yaml'), `events: events.yaml\nbaseUrl: https://digest.example.org\npostalAddress: 1 Main St, Springfield\nsending:\n  connections: 2\n  retries: 1\n  backoffMs: 5\n${extra.extraConfig ?? ''}`);
  const store = await probe.store();
  await addSubscribers(store, [
    { email: 'ny@example.org', name: 'Nia York', timezone: 'America/New_York' },
    { email: 'berlin@example.org', name: 'Bea Lin', timezone: 'Europe/Berlin' },
    { email: 'webinars@example.org', timezone: 'America/New_York', kinds: ['webinar'] },
    { email: 'conferences@example.org', timezone: 'America/New_York', kinds: ['conference'] },
  ]);
  await store.close();
  return { ...probe, eventsPath, setCalendar: (yaml) => writeFileSync(eventsPath, yaml) };
}
