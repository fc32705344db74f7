// Which of two VEVENTs for the same UID (and RECURRENCE-ID) is current, and an id for an event that has no UID.
import { createHash } from 'node:crypto';
import { rawValue } from './scan.ts';
import type { ComponentReader } from './reader.ts';

/** SEQUENCE, then DTSTAMP, then LAST-MODIFIED: RFC 5546 §2.1.5 makes the higher SEQUENCE the current revision. */
function revisionOf(r: ComponentReader): [number, string, string] {
  const raw = (name: string) => {
    const p = r.first(name);
    return p ? rawValue(p.text).trim() : '';
  };
  const sequence = Number(raw('SEQUENCE'));
  // DTSTAMP and LAST-MODIFIED are UTC stamps (YYYYMMDDTHHMMSSZ): as text they sort in time order.
  return [Number.isFinite(sequence) ? sequence : 0, raw('DTSTAMP'), raw('LAST-MODIFIED')];
}

/** Whether `later` (further down the file) supersedes `earlier`; on a tie the later one wins, as a feed appends updates. */
export function supersedes(later: ComponentReader, earlier: ComponentReader): boolean {
  const ra = revisionOf(earlier);
  const rb = revisionOf(later);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i] > ra[i];
  return true;
}

/** "SEQUENCE 2" or "the same SEQUENCE": how a warning names the revision kept. */
export function revisionText(r: ComponentReader): string {
  return `SEQUENCE ${revisionOf(r)[0]}`;
}

/**
 * A stable id for a VEVENT without UID (RFC 2445-era files, Outlook Web App): a digest of its
 * content lines, DTSTAMP left out because exporters rewrite it on every export.
 */
export function derivedUid(r: ComponentReader): string {
  const lines = r.raw.properties.filter((p) => p.name !== 'DTSTAMP').map((p) => p.text);
  return `no-uid-${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
}
