import { ALIAS_COUNTRY, canonicalAdmin1 } from '../extract/places/admin-names.ts';
import { type AdminLocation, Gazetteer } from '../extract/places/index.ts';

/** The place fields `CountryOf.fill` reads and fills. */
export interface LocatableEvent {
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  latitude: number | null;
  longitude: number | null;
  geoPrecision: number | null;
}

/**
 * The district a Pakistani event's coordinates fall in, when the source names none and the point is the
 * place itself or near it (geo precision 1–2, or not given): GTD and the compilations name a city and a
 * province but no district, so their events were missing from every district count, map and filter.
 * A point whose district lies in another province than the one the source names is left alone (the
 * point or the province is wrong, and the district would contradict the source). Null: leave as is.
 */
export function districtOf(event: LocatableEvent, located: AdminLocation): AdminLocation | null {
  if (event.country !== ALIAS_COUNTRY || event.admin2 !== null || located.admin2 === null) return null;
  if (event.geoPrecision !== null && event.geoPrecision > 2) return null;
  if (event.admin1 !== null && canonicalAdmin1(event.admin1) !== located.admin1) return null;
  return { country: event.country, admin1: located.admin1, admin2: located.admin2 };
}

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
