import { ALIAS_COUNTRY, districtOf, type LocatableEvent } from '../extract/places/admin-names.ts';
import { type AdminLocation, Gazetteer } from '../extract/places/index.ts';

/**
 * Where a coordinate pair lies, from the offline gazetteer: the country for records that name none (the
 * shared ACLED extract has no `country` column), and the district for Pakistani records that name none.
 * Looked up once per distinct pair; the gazetteer is loaded only when a record needs it.
 *
 * @example const countryOf = new CountryOf(); await countryOf.at(29.33, 66.97) // 'Pakistan'
 */
export class CountryOf {
  readonly #known = new Map<string, AdminLocation>();
  #gazetteer: Gazetteer | undefined;

  async locate(latitude: number, longitude: number): Promise<AdminLocation> {
    const key = `${latitude},${longitude}`;
    let located = this.#known.get(key);
    if (located === undefined) {
      this.#gazetteer ??= await Gazetteer.load();
      located = this.#gazetteer.locate(latitude, longitude);
      this.#known.set(key, located);
    }
    return located;
  }

  async at(latitude: number, longitude: number): Promise<string | null> {
    return (await this.locate(latitude, longitude)).country;
  }

  /**
   * Fills, in place, `country` when it is missing and the district (`districtOf`) when a Pakistani record
   * names none. Call before `canonicalEventAdmin`.
   */
  async fill(event: LocatableEvent): Promise<void> {
    if (event.latitude === null || event.longitude === null) return;
    const needsCountry = event.country === null;
    if (!needsCountry && (event.admin2 !== null || event.country !== ALIAS_COUNTRY)) return;
    const located = await this.locate(event.latitude, event.longitude);
    if (needsCountry) event.country = located.country;
    const district = districtOf(event, located);
    if (district) {
      event.admin1 = district.admin1;
      event.admin2 = district.admin2;
    }
  }
}
