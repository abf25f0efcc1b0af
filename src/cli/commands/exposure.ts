import { type Command, InvalidArgumentError } from 'commander';
import { addGroupOption, questionFilter } from '../../analyse/cli-filter.ts';
import { exposure } from '../../analyse/exposure.ts';
import { plural, signed, table } from '../../analyse/format.ts';
import type { SiteGeometry } from '../../analyse/geo.ts';
import { findSite, listSites } from '../../analyse/sites.ts';
import type { EventFilter } from '../../schema/index.ts';
import type { Store } from '../../store/contract.ts';
import {
  addDbOption,
  addFilterOptions,
  calendarDay,
  clip,
  type FilterFlags,
  filterFromFlags,
  printJson,
  resolveQuestion,
  withStoreReading,
} from '../shared-options.ts';

const number = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
  return n;
};

/** Radii tried, in turn, when nothing lies within the one asked for. */
const WIDER_KM = [200, 1000];

/**
 * When no event lies within the radius: the nearest recent event within a wider one (or how many
 * events lie there, when none is recent), and the flag that widens the question.
 */
async function nearestBeyond(
  store: Store,
  geometry: SiteGeometry,
  filter: EventFilter,
  radiusKm: number,
  flags: { asOf?: string; recentMonths: number },
): Promise<string> {
  for (const wider of WIDER_KM.filter((km) => km > radiusKm)) {
    const result = await exposure(store, {
      geometry,
      filter,
      radiusKm: wider,
      recentMonths: flags.recentMonths,
      ...(flags.asOf ? { asOf: flags.asOf } : {}),
    });
    if (result.events === 0) continue;
    const nearest = result.nearestRecent[0];
    const how = `widen the radius with --radius-km ${Math.ceil(nearest?.distanceKm ?? wider)}`;
    if (!nearest)
      return `No events within ${radiusKm} km; ${plural(result.events, 'event')} within ${wider} km, none of them recent (${result.recent?.from ?? '?'} … ${result.recent?.to ?? '?'}): ${how}.`;
    const where = [nearest.location, nearest.admin2].filter(Boolean).join(', ') || 'place unknown';
    return `No events within ${radiusKm} km. The nearest recent event is ${nearest.distanceKm} km away (${nearest.date}, ${where}): ${how}.`;
  }
  return `No events within ${radiusKm} km, nor within ${Math.max(radiusKm, ...WIDER_KM)} km: check the site's coordinates (latitude first, then longitude) and the filters.`;
}

export function registerExposure(program: Command): void {
  const command = program
    .command('exposure [site]')
    .description(
      'Violence near a site (or --lat/--lon): by year and actor, nearest recent events, trend, risk score',
    )
    .option('--lat <deg>', 'latitude of a point instead of a site', number(-90, 90))
    .option('--lon <deg>', 'longitude of a point instead of a site', number(-180, 180))
    .option(
      '--radius-km <km>',
      'distance from the site (from a line: either side of it)',
      number(0, 2000),
      50,
    )
    .option('--as-of <date>', 'day "recent" counts back from (default: end of the data)', calendarDay)
    .option('--recent-months <n>', 'length of the recent window', number(1, 120), 12)
    .option('--json', 'print JSON');
  addGroupOption(addFilterOptions(addDbOption(command))).action(
    async (
      site: string | undefined,
      flags: FilterFlags & {
        lat?: number;
        lon?: number;
        radiusKm: number;
        asOf?: string;
        recentMonths: number;
        group?: string[];
        json?: boolean;
        db?: string;
      },
    ) => {
      const question = questionFilter(filterFromFlags(flags), flags.group);
      await withStoreReading(flags.db, async (store) => {
        let geometry: SiteGeometry;
        let name: string;
        if (site) {
          const found = await findSite(store, site);
          if (!found) {
            // a misspelt id ("reko-dik") reads best beside the ones there are
            const stored = (await listSites(store)).slice(0, 10).map((s) => `${s.id} (${s.name})`);
            throw new Error(
              `no site "${site}"${stored.length ? `; stored: ${stored.join(', ')}` : '; none stored yet'} (add one with: sitrep sites add NAME [--lat --lon | --geojson FILE])`,
            );
          }
          geometry = found.geometry;
          name = `${found.name} (${found.geometry.type})`;
        } else if (flags.lat !== undefined && flags.lon !== undefined) {
          geometry = { type: 'Point', coordinates: [flags.lon, flags.lat] };
          name = `${flags.lat}, ${flags.lon}`;
        } else throw new InvalidArgumentError('name a site, or give --lat and --lon');
        const { filter } = await resolveQuestion(store, question);
        const result = await exposure(store, {
          geometry,
          filter,
          radiusKm: flags.radiusKm,
          recentMonths: flags.recentMonths,
          ...(flags.asOf ? { asOf: flags.asOf } : {}),
        });
        if (flags.json) return printJson(result);
        const out = process.stdout;
        out.write(
          `Within ${result.radiusKm} km of ${name}: ${plural(result.events, 'event')}, ${plural(result.fatalities, 'fatality', 'fatalities')}\n\n`,
        );
        if (result.events === 0) {
          // Empty tables read as a broken command: say how far the violence is instead.
          out.write(`${await nearestBeyond(store, geometry, filter, result.radiusKm, flags)}\n\n`);
        } else {
          out.write(
            `${table(
              ['year', 'events', 'fatalities'],
              result.byYear.map((y) => [y.year, y.events, y.fatalities]),
            )}\n\n`,
          );
          out.write(
            `${table(
              ['actor', 'events', 'fatalities'],
              result.byActor.slice(0, 10).map((a) => [clip(a.actor, 50), a.events, a.fatalities]),
            )}\n\n`,
          );
        }
        if (result.recent) {
          out.write(
            `Recent (${result.recent.from} … ${result.recent.to}): ${plural(result.trend.recentEvents, 'event')} vs ${result.trend.previousEvents} before (${signed(result.trend.changePct)}, ${result.trend.band})\n`,
          );
        }
        if (result.nearestRecent.length) {
          out.write(
            `${table(
              ['date', 'km', 'actor', 'type', 'where', 'fatalities'],
              result.nearestRecent.map((e) => [
                e.date,
                e.distanceKm,
                e.actor ? clip(e.actor, 36) : null,
                e.eventType,
                e.location,
                e.fatalities,
              ]),
            )}\n`,
          );
        }
        out.write(`\nRisk score ${result.risk.score}/100 (${result.risk.level}):\n`);
        out.write(
          `${table(
            ['part', 'measured', 'score 0-1', 'weight', 'points', 'unit'],
            result.risk.parts.map((p) => [p.name, p.measured, p.score, p.weight, p.points, p.unit]),
          )}\n`,
        );
      });
    },
  );
}
