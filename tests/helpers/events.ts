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

/**
 * A calendar heavy enough for Gmail to clip its digest when every entry is shown: n in-person actions over
 * two weeks from 2016-12-01, each with a long description and three links of about 150 characters.
 */
export function heavyCalendarYaml(n: number): string {
  const link = (host: string, i: number) => `https://${host}/e/${i}/?utm_source=digest&utm_medium=email&utm_campaign=${'x'.repeat(90)}`;
  const events = Array.from({ length: n }, (_, i) => {
    const day = `2016-12-${String(1 + (i % 14)).padStart(2, '0')}`;
    return [
      `  - id: e${i}`,
      `    title: Action number ${i}`,
      `    start: ${day}T18:00`,
      `    end: ${day}T19:00`,
      `    location: { venue: Hall ${i}, address: ${i} Main St, city: Washington, region: DC }`,
      `    description: ${'Plan the next steps of the campaign together. '.repeat(5)}`,
      `    links:`,
      `      - { label: RSVP, url: "${link('www.mobilize.us', i)}" }`,
      `      - { label: Share, url: "${link('actionnetwork.org', i)}" }`,
      `      - { label: Contact, url: "${link('www.eventbrite.com', i)}" }`,
    ].join('\n');
  });
  return `events:\n${events.join('\n')}\n`;
}
