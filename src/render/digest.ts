// The renderer's entry: settings from configuration, and one call from a selection to a compiled variant.
import type { Selection } from '../calendar/select.ts';
import type { Config } from '../config/schema.ts';
import type { Calendar } from '../events/model.ts';
import type { Subscriber } from '../subscribers/model.ts';
import { nextRun } from '../schedule/next-run.ts';
import { compileVariant, type CompiledVariant } from './compile.ts';
import { buildDigestView, type DigestSettings, type IssueExtras, type Variant } from './digest-view.ts';

export function digestSettings(config: Config, calendar: Calendar): DigestSettings {
  return {
    listName: config.listName,
    intro: config.intro,
    postalAddress: config.postalAddress,
    subject: config.subject,
    whyText: config.whyText,
    baseUrl: config.baseUrl,
    kinds: config.kinds,
    alliedCalendars: calendar.alliedCalendars,
    brand: config.brand,
    maxPerSection: config.maxPerSection,
    // The schedule's run on the window's first day ("Tomorrow" counts from the morning the mail goes out).
    sendTime: (win) => {
      const run = nextRun(config.schedule, config.timezone, new Date(win.startMs - 1));
      return run && run.toISODate() === win.startDate ? run.toMillis() : win.startMs;
    },
  };
}

/** The variant a subscriber gets: their zone and kinds, and their place with their radius (or the list's). */
export function readerVariant(s: Pick<Subscriber, 'timezone' | 'kinds'> & Partial<Pick<Subscriber, 'location' | 'radius'>>, config: Pick<Config, 'radius'>): Variant {
  const near = s.location ? { ...s.location, radius: s.radius ?? config.radius } : undefined;
  return near ? { zone: s.timezone, kinds: s.kinds, near } : { zone: s.timezone, kinds: s.kinds };
}

/** A variant's key: readers with the same zone, kinds and (when badges are shown) receipt of the previous issue get the same compiled digest. */
export function variantKey(v: Variant): string {
  const base = `${v.zone}|${[...v.kinds].sort().join(',')}${v.fresh ? '|fresh' : ''}`;
  // By resolved place and radius, not by reader: everyone in Columbus with a 50 mi radius shares one variant.
  return v.near ? `${base}|${v.near.lat},${v.near.lon}|${v.near.radius}|${v.near.name}` : base;
}

export function renderVariant(selection: Selection, variant: Variant, settings: DigestSettings, extras: IssueExtras = {}): Promise<CompiledVariant> {
  return compileVariant(buildDigestView(selection, variant, settings, extras));
}
