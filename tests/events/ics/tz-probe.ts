// Loads and exports every ICS fixture and prints the result, so a test can compare runs under different process TZs.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadIcsText } from '../../../src/events/ics/load.ts';
import { exportIcs } from '../../../src/events/ics/export.ts';

const DIR = new URL('../../fixtures/ics/', import.meta.url);
const OPTS = { listTimezone: 'Europe/London', kinds: ['meetup', 'webinar', 'conference', 'workshop', 'social'], defaultKind: 'meetup' };
const FIELDS = ['title', 'start', 'end', 'recurrence', 'location', 'kind', 'status'];

/** Everything the loader and exporter produce for the fixtures, locate() answers included, as one string. */
export function icsSnapshot(): string {
  const out: Record<string, unknown> = {};
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.ics')).sort()) {
    const r = loadIcsText(readFileSync(new URL(name, DIR), 'utf8'), name, OPTS);
    out[name] = {
      findings: r.findings,
      events: r.events.map((e) => ({ ...e, source: FIELDS.map((f) => e.source.locate([f]).line) })),
      exported: exportIcs({ events: r.events, alliedCalendars: r.alliedCalendars }, { now: new Date('2017-01-01T00:00:00Z') }),
    };
  }
  return JSON.stringify(out, (_, v) => (typeof v === 'function' ? undefined : v));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.stdout.write(icsSnapshot());
