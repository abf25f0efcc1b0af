import { type Command, InvalidArgumentError } from 'commander';
import { addGroupOption, questionFilter } from '../../analyse/cli-filter.ts';
import { exposureAnswer } from '../../analyse/exposure-answer.ts';
import { placedCoarsely } from '../../analyse/exposure-tally.ts';
import { plural, signed, table } from '../../analyse/format.ts';
import type { SiteGeometry } from '../../analyse/geo.ts';
import { findSite, listSites } from '../../analyse/sites.ts';
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
    .option(
      '--as-of <date>',
      'day "recent" counts back from (default: --to, else the latest report, news text included)',
      calendarDay,
    )
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
        let asked: { id: string | null; name: string | null } = { id: null, name: null };
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
          asked = { id: found.id, name: found.name };
        } else if (flags.lat !== undefined && flags.lon !== undefined) {
          geometry = { type: 'Point', coordinates: [flags.lon, flags.lat] };
          name = `${flags.lat}, ${flags.lon}`;
        } else throw new InvalidArgumentError('name a site, or give --lat and --lon');
        const { filter } = await resolveQuestion(store, question);
        const result = await exposureAnswer(store, {
          site: asked,
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
        if (result.beyond) {
          // Empty tables read as a broken command: say how far the violence is instead.
          out.write(`${result.beyond.message}\n\n`);
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
            `Recent (${result.recent.from} … ${result.recent.to}): ${plural(result.trend.recentEvents, 'event')} vs ${result.trend.previousEvents} before (${signed(result.trend.changePct)}, ${result.trend.band})\n` +
              `  The window ${result.recent.why}.\n`,
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
                placedCoarsely(e) ? `${e.location ?? '?'} (area centre)` : e.location,
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
