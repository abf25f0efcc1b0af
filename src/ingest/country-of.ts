import { Gazetteer } from '../extract/places/index.ts';

/**
 * The country of a coordinate pair from the offline gazetteer, for records that name none (the shared
 * ACLED extract has no `country` column). Looked up once per distinct pair; the gazetteer is loaded only
 * when a record needs it.
 *
 * @example const countryOf = new CountryOf(); await countryOf.at(29.33, 66.97) // 'Pakistan'
 */
export class CountryOf {
  readonly #known = new Map<string, string | null>();
  #gazetteer: Gazetteer | undefined;

  async at(latitude: number, longitude: number): Promise<string | null> {
    const key = `${latitude},${longitude}`;
    let country = this.#known.get(key);
    if (country === undefined) {
      this.#gazetteer ??= await Gazetteer.load();
      country = this.#gazetteer.locate(latitude, longitude).country;
      this.#known.set(key, country);
    }
    return country;
  }

  /** Fills `country` in place when it is missing and the coordinates are known. */
  async fill(event: {
    country: string | null;
    latitude: number | null;
    longitude: number | null;
  }): Promise<void> {
    if (event.country === null && event.latitude !== null && event.longitude !== null) {
      event.country = await this.at(event.latitude, event.longitude);
    }
  }
}
