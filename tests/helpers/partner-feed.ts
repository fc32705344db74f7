// A partner's calendar as a feed might hold it: one event that cannot be read, one that repeats within a day.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes partners.ics in a temp dir and returns its path: UID backwards@partners ends before it starts; ticker@partners repeats by `rrule`. */
export function writePartnerFeed(rrule: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ed-partners-')), 'partners.ics');
  writeFileSync(
    path,
    [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//test//EN',
      'BEGIN:VEVENT', 'UID:backwards@partners', 'SUMMARY:Backwards', 'DTSTART:20161129T180000Z', 'DTEND:20161129T170000Z', 'LOCATION:Online', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:ticker@partners', 'SUMMARY:Ticker', 'DTSTART:20161128T090000Z', `RRULE:${rrule}`, 'LOCATION:Online', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n'),
  );
  return path;
}
