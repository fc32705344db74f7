// Builders for test events and windows, so each test states only what it is about.
import type { CalendarEvent } from '../../src/events/model.ts';
import { loadStructuredText } from '../../src/events/load-yaml.ts';
import { validateEvents } from '../../src/events/rules/index.ts';
import { selectWindow, selectionToJson } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';

export const KINDS = ['action', 'webinar', 'conference'];

export function event(fields: Partial<CalendarEvent> & Pick<CalendarEvent, 'start'>): CalendarEvent {
  return {
    id: fields.id ?? 'e1',
    title: 'Event',
    kind: 'action',
    allDay: fields.start.length === 10,
    end: fields.start,
    timezone: 'America/New_York',
    overrides: [],
    links: [],
    tags: [],
    status: 'confirmed',
    listAs: 'occurrences',
    source: { path: 'test', locate: () => ({ line: 1, col: 1 }) },
    ...fields,
  };
}

/** Loads YAML text as `check` would (structure, then the rules), returning events and findings. */
export function loadYaml(text: string, opts: { nowMs?: number; path?: string } = {}) {
  const path = opts.path ?? 'events.yaml';
  const r = loadStructuredText(text, path, path.endsWith('.json') ? 'json' : 'yaml', { listTimezone: 'America/New_York', defaultKind: 'action' });
  const v = validateEvents(r.events, { kinds: KINDS, nowMs: opts.nowMs ?? Date.parse('2016-01-01T00:00:00Z') });
  return { events: v.valid, alliedCalendars: r.alliedCalendars, findings: [...r.findings, ...v.findings] };
}

/** select --json for events, a date and weeks, in a zone. */
export function selectJson(events: CalendarEvent[], asOf: string, weeks = 3, zone = 'America/New_York') {
  return selectionToJson(selectWindow(events, windowFor(asOf, weeks, zone), { kinds: ['conference'], months: 6 }));
}
