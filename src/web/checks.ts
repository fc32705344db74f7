// What an organizer should see before an issue goes out: calendar findings and things readers would trip on.
import { DateTime } from 'luxon';
import { cutFindings, type Selection } from '../calendar/select.ts';
import type { Occurrence } from '../calendar/occurrence.ts';
import { formatFinding, type Finding } from '../events/finding.ts';
import { locationText } from '../events/location.ts';
import { hasUsableLink } from '../events/rules/link-urls.ts';
import { POSTAL_ADDRESS_PROBLEM } from '../mail/postal-address.ts';
import { clipWarning, GMAIL_CLIP_BYTES, kb } from '../render/clip.ts';
import { kindHeading } from '../render/digest-view.ts';

/** Starts in these local hours (22:00–06:59) look like a time-zone mistake. */
const NIGHT = (hour: number) => hour >= 22 || hour < 7;

export interface Check {
  severity: 'error' | 'warning' | 'ok';
  message: string;
}

export interface CheckInput {
  findings: readonly Finding[];
  selection: Selection;
  kinds: readonly string[];
  /** The previewed reader's HTML. */
  htmlBytes: number;
  /** Active subscribers per zone; empty: the list's zone stands for everyone. */
  readerZones: ReadonlyMap<string, number>;
  listZone: string;
  /** true when set; without one, 'refused' when mail goes through SMTP (send refuses), 'missing' into the outbox. */
  postalAddress?: true | 'refused' | 'missing';
}

export function preSendChecks(input: CheckInput): Check[] {
  const out: Check[] = [...input.findings, ...cutFindings(input.selection)].map((f) => ({ severity: f.severity, message: formatFinding(f) }));
  const listed = uniqueEvents(input.selection.occurrences);
  if (input.postalAddress === 'refused' || input.postalAddress === 'missing') {
    const error = input.postalAddress === 'refused';
    out.push({ severity: error ? 'error' : 'warning', message: `${POSTAL_ADDRESS_PROBLEM}${error ? '; send refuses to mail this issue' : '; send refuses to mail through SMTP without it'}` });
  }

  for (const o of listed) {
    if (!hasUsableLink(o.event)) out.push({ severity: 'warning', message: `“${o.title}” has no link: readers cannot sign up or learn more` });
    if (locationText(o.event.location) === null) out.push({ severity: 'warning', message: `“${o.title}” has no location and is not marked online` });
  }

  const zones = input.readerZones.size > 0 ? input.readerZones : new Map([[input.listZone, 1]]);
  const readers = [...zones.values()].reduce((a, b) => a + b, 0);
  for (const o of input.selection.occurrences) {
    if (o.allDay) continue;
    let atNight = 0;
    const examples: string[] = [];
    for (const [zone, n] of zones) {
      const local = DateTime.fromMillis(o.startMs, { zone });
      if (NIGHT(local.hour)) {
        atNight += n;
        if (examples.length < 2) examples.push(`${local.toFormat('HH:mm')} in ${zone}`);
      }
    }
    if (atNight * 2 > readers) {
      out.push({ severity: 'warning', message: `“${o.title}” starts at night for ${atNight} of ${readers} reader${readers === 1 ? '' : 's'} (${examples.join(', ')}): is its time or zone right?` });
    }
  }

  const clipped = clipWarning(input.htmlBytes);
  if (clipped) out.push({ severity: 'error', message: clipped });
  else out.push({ severity: input.htmlBytes > GMAIL_CLIP_BYTES * 0.9 ? 'warning' : 'ok', message: `HTML ${kb(input.htmlBytes)} of Gmail's ${kb(GMAIL_CLIP_BYTES)} clip limit` });

  const byKind = new Map<string, number>();
  for (const o of input.selection.occurrences) byKind.set(o.kind, (byKind.get(o.kind) ?? 0) + 1);
  for (const k of input.kinds) if (!byKind.has(k)) out.push({ severity: 'warning', message: `no ${kindHeading(k).toLowerCase()} in this window: that section is left out` });
  if (input.selection.occurrences.length === 0) out.push({ severity: 'warning', message: 'nothing is scheduled in this window' });

  if (!out.some((c) => c.severity !== 'ok')) out.push({ severity: 'ok', message: 'no problems found' });
  return out;
}

function uniqueEvents(occurrences: readonly Occurrence[]): Occurrence[] {
  const seen = new Set<string>();
  return occurrences.filter((o) => !seen.has(o.eventId) && (seen.add(o.eventId), true));
}
