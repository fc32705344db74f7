// Renders a calendar's week for a reader, the way preview and send do, for the rendering tests.
import { readFileSync } from 'node:fs';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import type { CalendarEvent } from '../../src/events/model.ts';
import type { DigestSettings, IssueExtras } from '../../src/render/digest-view.ts';
import { renderVariant } from '../../src/render/digest.ts';
import { loadYaml } from './events.ts';

export const SETTINGS: DigestSettings = {
  listName: 'Movement Digest',
  intro: 'What is coming up.',
  postalAddress: '1 Main St, Washington, DC 20001',
  subject: '{{highlights}} ({{period}})',
  whyText: 'You receive this because you subscribed to {{listName}}.',
  baseUrl: 'https://digest.example.org',
  kinds: ['action', 'webinar', 'conference'],
  alliedCalendars: [{ name: 'Popular Resistance', label: 'See also the calendar of our ally Popular Resistance.', url: '' }],
  brand: { color: '#0b57d0' },
  maxPerSection: 10,
  // The issue goes out at 08:00 on its first day, as the default schedule sends it.
  sendTime: (win) => win.startMs + 8 * 3600_000,
};

export const READER = { name: 'Ana', unsubscribeUrl: 'https://digest.example.org/unsubscribe/TOKEN-U', preferencesUrl: 'https://digest.example.org/preferences/TOKEN-P' };

export function seedEvents(): CalendarEvent[] {
  return loadYaml(readFileSync('data/events.yaml', 'utf8'), { path: 'data/events.yaml' }).events;
}

export async function render(events: CalendarEvent[], opts: { asOf?: string; weeks?: number; zone?: string; kinds?: string[]; settings?: Partial<DigestSettings> } & IssueExtras = {}) {
  const selection = selectWindow(events, windowFor(opts.asOf ?? '2016-11-28', opts.weeks ?? 3, 'America/New_York'), { kinds: ['conference'], months: 6 });
  const compiled = await renderVariant(selection, { zone: opts.zone ?? 'America/New_York', kinds: opts.kinds ?? [] }, { ...SETTINGS, ...opts.settings }, { note: opts.note, full: opts.full });
  return { compiled, html: compiled.html(READER), text: compiled.text(READER) };
}

/** The visible text of an HTML document, roughly as a reader sees it. */
export function visibleText(html: string): string {
  return html
    .replace(/<(style|title|head)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ');
}
