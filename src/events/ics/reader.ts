// Reads one component's properties through ical.js, one line at a time, collecting problems instead of throwing.
import ICAL from 'ical.js';
import { rawValue, type RawComponent, type RawProperty } from './scan.ts';
import { readTimes, type IcsTime } from './times.ts';

/**
 * One property as ical.js's parser gives it (jCal, RFC 7265): name, parameters, value type, values.
 * Read as it is rather than through ICAL.Property, which a 10,000-event calendar would build some
 * 150,000 of; a value ical.js decorates (a date, a duration, a rule) still goes through one.
 */
export type JCalProperty = [name: string, params: Record<string, unknown>, type: string, ...values: unknown[]];

const VALUE_INDEX = 3;
const isDecorated = (type: string) => 'decorate' in ((ICAL.design.defaultSet.value as Record<string, object>)[type] ?? {});

type DesignSet = { property: Record<string, Record<string, unknown>>; value: Record<string, { fromICAL?: (value: string, structured: boolean) => unknown }> };
const design = ICAL.design.defaultSet as unknown as DesignSet;

/**
 * A line with no parameters, of a property ical.js reads as one value of its default type (no list, no
 * structure, no type to detect: SUMMARY, UID, DESCRIPTION, LOCATION, DTSTAMP, any X- property), as
 * ICAL.parse.property gives it: the name lower-cased, the value read by ical.js's own reader for its type.
 * Its parser's general path (parameters, lists) cost a big calendar as much as the rest of reading; every
 * other line still goes through it. Undefined when the line is not that simple.
 */
export function plainProperty(text: string): JCalProperty | undefined {
  const colon = text.indexOf(':');
  const semicolon = text.indexOf(';');
  if (colon < 0 || (semicolon >= 0 && semicolon < colon)) return undefined;
  const name = text.slice(0, colon).toLowerCase();
  if (name === 'begin' || name === 'end' || name.includes('.')) return undefined;
  let type = 'unknown';
  if (Object.hasOwn(design.property, name)) {
    const details = design.property[name];
    if ('multiValue' in details || 'structuredValue' in details || 'detectType' in details || typeof details.defaultType !== 'string') return undefined;
    type = details.defaultType;
  } else if (name in design.property) return undefined;
  const raw = text.slice(colon + 1);
  const values = Object.hasOwn(design.value, type) ? design.value[type] : undefined;
  return [name, {}, type, values?.fromICAL ? values.fromICAL(raw, false) : raw];
}

/** The value at `index` as ICAL.Property's getValues gives it. */
function valueAt(prop: JCalProperty, index: number): unknown {
  if (prop.length <= VALUE_INDEX + index) return null;
  return isDecorated(prop[2]) ? new ICAL.Property(prop).getValues()[index] : prop[VALUE_INDEX + index];
}

export interface Problem {
  line: number;
  message: string;
}

/** One component's properties, parsed by ical.js one at a time so a bad RRULE spoils only its own event. */
export class ComponentReader {
  /** Errors: the event is not loaded. */
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  /** Made on first use: most readers of a big calendar are built, released and then only reported. */
  private parsed?: Map<RawProperty, JCalProperty | null>;

  constructor(
    readonly raw: RawComponent,
    private readonly resolveTzid: (tzid: string) => string,
  ) {
    for (const p of raw.properties) if (p.broken) this.problems.push({ line: p.line, message: p.broken });
  }

  /**
   * Lets go of the parsed properties once the event is built: a big calendar's readers all live until its
   * findings are reported, and the values they held kept every garbage collection of the load copying them.
   * A property that did not parse stays remembered, so reading it again does not report it twice.
   */
  release(): void {
    const failed = [...(this.parsed ?? [])].filter(([, prop]) => prop === null);
    this.parsed = failed.length > 0 ? new Map(failed) : undefined;
  }

  // Searched rather than indexed: a component has a dozen or two properties, and an index per component
  // (a Map and its arrays) lived as long as the readers, which the garbage collector kept copying.
  all(name: string): RawProperty[] {
    return this.raw.properties.filter((p) => p.name === name);
  }

  first(name: string): RawProperty | undefined {
    return this.raw.properties.find((p) => p.name === name);
  }

  line(name: string): number | undefined {
    return this.first(name)?.line;
  }

  /** The property as ical.js parses it, or undefined (and a problem) when ical.js cannot parse the line. */
  property(p: RawProperty): JCalProperty | undefined {
    if (p.broken) return undefined;
    this.parsed ??= new Map();
    let prop = this.parsed.get(p);
    if (prop === undefined) {
      try {
        prop = plainProperty(p.text) ?? (ICAL.parse.property(p.text) as unknown as JCalProperty);
      } catch (e) {
        this.problems.push({ line: p.line, message: `invalid ${p.name}: ${(e as Error).message}` });
        prop = null;
      }
      this.parsed.set(p, prop);
    }
    return prop ?? undefined;
  }

  /** The property's first value (ICAL.Property's getFirstValue): unescaped text for a TEXT property. */
  value(p: RawProperty): unknown {
    const prop = this.property(p);
    return prop && valueAt(prop, 0);
  }

  /** The first property's value as unescaped text; empty values count as absent. */
  text(name: string): string | undefined {
    const p = this.first(name);
    const v = p && this.value(p);
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  }

  /** Every value of every property with this name (CATEGORIES may repeat and hold lists). */
  texts(name: string): string[] {
    const out: string[] = [];
    for (const p of this.all(name)) {
      const prop = this.property(p);
      if (!prop) continue;
      for (let i = 0; VALUE_INDEX + i < prop.length; i++) {
        const v = valueAt(prop, i);
        if (typeof v === 'string') out.push(v);
      }
    }
    return out;
  }

  param(p: RawProperty, param: string): string | undefined {
    const params = this.property(p)?.[1];
    const v = params && param in params ? params[param] : undefined;
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
