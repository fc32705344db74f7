// The collection of rules, and validateEvents, which runs them all and adds the cross-event checks.
import type { Finding } from '../finding.ts';
import type { CalendarEvent } from '../model.ts';
import { endAfterStart } from './end-after-start.ts';
import { hasLocation } from './has-location.ts';
import { knownKind } from './known-kind.ts';
import { knownTimezone } from './known-timezone.ts';
import { linkUrls } from './link-urls.ts';
import { notInPast } from './not-in-past.ts';
import { plainText } from './plain-text.ts';
import type { Rule, RuleContext } from './rule.ts';
import { rruleParses } from './rrule-parses.ts';

/** Rules that must pass before an event can be expanded at all. */
const structural: Rule[] = [knownKind, knownTimezone, endAfterStart, rruleParses, linkUrls, plainText];
/** Rules that expand the event, run only on events the structural rules passed. */
const advisory: Rule[] = [hasLocation, notInPast];

function prefix(ev: CalendarEvent): string {
  return ev.source.uid ? `event UID ${ev.source.uid}: ` : '';
}

export function validateEvents(events: readonly CalendarEvent[], ctx: RuleContext): { findings: Finding[]; valid: CalendarEvent[] } {
  const findings: Finding[] = [];
  const valid: CalendarEvent[] = [];
  const firstById = new Map<string, CalendarEvent>();
  for (const ev of events) {
    const found = structural.flatMap((r) => r.check(ev, ctx));
    const ok = !found.some((f) => f.severity === 'error');
    if (ok) found.push(...advisory.flatMap((r) => r.check(ev, ctx)));
    const first = firstById.get(ev.id);
    if (first) {
      const at = first.source.locate(['id']);
      found.push({ path: ['id'], severity: 'error', message: `duplicate id '${ev.id}' (first at ${first.source.path}:${at.line})` });
    } else firstById.set(ev.id, ev);
    for (const f of found) {
      const locate = f.override !== undefined ? (ev.overrides[f.override].locate ?? ev.source.locate) : ev.source.locate;
      const at = locate(f.path);
      findings.push({ path: ev.source.path, line: at.line, col: at.col, severity: f.severity, message: prefix(ev) + f.message, ...(f.severity === 'error' ? { eventOnly: true } : {}) });
    }
    if (ok && !(first && found.some((f) => f.path[0] === 'id'))) valid.push(ev);
  }
  return { findings, valid };
}
