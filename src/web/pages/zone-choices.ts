// The time-zone field: every zone the runtime knows, grouped by region, each named by its city.
import { html } from 'hono/html';
import type { Markup } from './layout.ts';

export interface ZoneChoice {
  /** The IANA id, what the form sends. */
  id: string;
  /** "Buenos Aires (Argentina)", "Berlin". */
  city: string;
  /** The name ICU (and so a browser) may still give it: Asia/Calcutta for Asia/Kolkata. */
  alias?: string;
}

export interface ZoneGroup {
  region: string;
  zones: ZoneChoice[];
}

const REGION_NAMES: Record<string, string> = { America: 'Americas', Indian: 'Indian Ocean', Atlantic: 'Atlantic Ocean', Pacific: 'Pacific Ocean' };
const OTHER = 'Other';

/** `America/Argentina/Buenos_Aires` → `Buenos Aires (Argentina)`. */
export function cityName(id: string): string {
  const parts = id.split('/').map((p) => p.replace(/_/g, ' '));
  const city = parts[parts.length - 1];
  return parts.length > 2 ? `${city} (${parts.slice(1, -1).join(', ')})` : city;
}

/**
 * ICU lists some zones under names IANA has since changed (tz's `backward` file): readers look for the
 * city by its name today, and Intl accepts both ids, so the list offers the current one.
 */
const RENAMED: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

function currentName(id: string): { id: string; alias?: string } {
  const renamed = RENAMED[id];
  if (!renamed) return { id };
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: renamed });
    return { id: renamed, alias: id };
  } catch {
    return { id };
  }
}

let groups: ZoneGroup[] | undefined;

/** Intl's zones (ICU's, so the list follows the runtime's tz data) plus UTC, which Intl leaves out; by region, then city. */
export function zoneGroups(): ZoneGroup[] {
  if (groups) return groups;
  const byRegion = new Map<string, ZoneChoice[]>();
  for (const { id, alias } of [...Intl.supportedValuesOf('timeZone').map(currentName), { id: 'UTC' }]) {
    const region = id.includes('/') && !id.startsWith('Etc/') ? id.slice(0, id.indexOf('/')) : OTHER;
    const list = byRegion.get(region) ?? [];
    if (!list.some((z) => z.id === id)) list.push({ id, city: cityName(id), alias });
    byRegion.set(region, list);
  }
  groups = [...byRegion.entries()]
    .sort(([a], [b]) => (a === OTHER ? 1 : b === OTHER ? -1 : a.localeCompare(b)))
    .map(([region, zones]) => ({ region: REGION_NAMES[region] ?? region, zones: zones.sort((a, b) => a.city.localeCompare(b.city, 'en')) }));
  return groups;
}

/**
 * A select of every zone with `selected` chosen. A zone the list lacks (an alias such as US/Eastern kept
 * from the CLI, or what a failed form sent) is offered first, so the form shows what is stored or was sent.
 */
export function zoneSelect(opts: { id: string; name: string; selected: string; detect?: boolean }): Markup {
  const all = zoneGroups();
  const known = all.some((g) => g.zones.some((z) => z.id === opts.selected));
  const option = (z: ZoneChoice) =>
    html`<option value="${z.id}"${z.alias ? html` data-alias="${z.alias}"` : html``}${z.id === opts.selected ? html` selected` : html``}>${z.city}</option>`;
  return html`<select id="${opts.id}" name="${opts.name}"${opts.detect ? html` data-detect-zone` : html``}>
${known || opts.selected === '' ? html`` : html`<option value="${opts.selected}" selected>${opts.selected}</option>`}
${all.map((g) => html`<optgroup label="${g.region}">${g.zones.map(option)}</optgroup>`)}
</select>`;
}
