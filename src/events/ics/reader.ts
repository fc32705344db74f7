// Reads one component's properties through ical.js, one line at a time, collecting problems instead of throwing.
import ICAL from 'ical.js';
import { rawValue, type RawComponent, type RawProperty } from './scan.ts';
import { readTimes, type IcsTime } from './times.ts';

type Property = InstanceType<typeof ICAL.Property>;

export interface Problem {
  line: number;
  message: string;
}

/** One component's properties, parsed by ical.js one at a time so a bad RRULE spoils only its own event. */
export class ComponentReader {
  /** Errors: the event is not loaded. */
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  private readonly parsed = new Map<RawProperty, Property | null>();

  constructor(
    readonly raw: RawComponent,
    private readonly resolveTzid: (tzid: string) => string,
  ) {
    for (const p of raw.properties) if (p.broken) this.problems.push({ line: p.line, message: p.broken });
  }

  all(name: string): RawProperty[] {
    return this.raw.properties.filter((p) => p.name === name);
  }

  first(name: string): RawProperty | undefined {
    return this.raw.properties.find((p) => p.name === name);
  }

  line(name: string): number | undefined {
    return this.first(name)?.line;
  }

  /** The ical.js property, or undefined (and a problem) when ical.js cannot parse the line. */
  property(p: RawProperty): Property | undefined {
    if (p.broken) return undefined;
    let prop = this.parsed.get(p);
    if (prop === undefined) {
      try {
        prop = new ICAL.Property(ICAL.parse.property(p.text));
      } catch (e) {
        this.problems.push({ line: p.line, message: `invalid ${p.name}: ${(e as Error).message}` });
        prop = null;
      }
      this.parsed.set(p, prop);
    }
    return prop ?? undefined;
  }

  /** The first property's value as unescaped text; empty values count as absent. */
  text(name: string): string | undefined {
    const p = this.first(name);
    const prop = p && this.property(p);
    const v = prop?.getFirstValue();
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  }

  /** Every value of every property with this name (CATEGORIES may repeat and hold lists). */
  texts(name: string): string[] {
    return this.all(name).flatMap((p) => {
      const values = this.property(p)?.getValues() ?? [];
      return values.filter((v): v is string => typeof v === 'string');
    });
  }

  param(p: RawProperty, param: string): string | undefined {
    const v = this.property(p)?.getParameter(param);
    return typeof v === 'string' ? v : undefined;
  }

  /** The date/time values of one property; undefined (with a problem) when one is not a real date. */
  times(p: RawProperty, label: string): IcsTime[] | undefined {
    const prop = this.property(p);
    if (!prop) return undefined;
    const times = readTimes(prop, this.resolveTzid);
    if (!times) this.problems.push({ line: p.line, message: `invalid ${label} ${JSON.stringify(rawValue(p.text))}` });
    return times;
  }
}
