// How place names are compared: one key per spelling ("St. Louis", "Saint Louis" → "st louis"), and the US states and countries by name or code.

/** Lower case, accents and punctuation gone, "saint"/"fort"/"mount" shortened: what a name is looked up by. */
export function nameKey(text: string): string {
  // Run on every town at load: the Unicode steps only for names that need them.
  let key = text.toLowerCase();
  if (/[^\x00-\x7f]/.test(key)) key = key.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ');
  else key = key.replace(/[^a-z0-9]+/g, ' ');
  key = key.trim();
  if (/saint|fort|mount/.test(key)) key = key.replace(/\b(saint|sainte)\b/g, 'st').replace(/\bfort\b/g, 'ft').replace(/\bmount\b/g, 'mt');
  return key;
}

/** The 50 states, DC and the territories, by USPS code: GeoNames' admin1 codes for the US are these. */
const US_STATES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut', DE: 'Delaware',
  DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa',
  KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota',
  MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico',
  NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island',
  SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington',
  WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming', PR: 'Puerto Rico', GU: 'Guam', VI: 'U.S. Virgin Islands', AS: 'American Samoa', MP: 'Northern Mariana Islands',
};

const stateByKey = new Map<string, string>();
for (const [code, name] of Object.entries(US_STATES)) {
  stateByKey.set(nameKey(code), code);
  stateByKey.set(nameKey(name), code);
}
// "D.C." and "Washington DC" as people write them.
stateByKey.set('d c', 'DC');

/** A US state by code or name ("oh", "Ohio", "D.C.") → its code, or undefined. */
export function usState(text: string): string | undefined {
  return stateByKey.get(nameKey(text));
}

const COUNTRY_ALIASES: Record<string, string> = { usa: 'US', 'u s a': 'US', 'u s': 'US', 'united states of america': 'US', america: 'US', uk: 'GB', 'great britain': 'GB', britain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB' };

/** Country names in English from the runtime's own data (ICU), for the codes the gazetteer has. */
export class Countries {
  private readonly byKey = new Map<string, string>();
  private readonly names = new Intl.DisplayNames(['en'], { type: 'region' });

  constructor(codes: Iterable<string>) {
    for (const code of codes) {
      this.byKey.set(nameKey(code), code);
      const name = this.name(code);
      if (name !== code) this.byKey.set(nameKey(name), code);
    }
    for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) this.byKey.set(alias, code);
  }

  /** "Germany", "de", "UK" → the ISO code, or undefined. */
  code(text: string): string | undefined {
    return this.byKey.get(nameKey(text));
  }

  name(code: string): string {
    try {
      return this.names.of(code) ?? code;
    } catch {
      return code;
    }
  }
}
