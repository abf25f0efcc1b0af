import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { table } from '../../analyse/format.ts';
import { haversineKm } from '../../analyse/geo.ts';
import {
  addSite,
  listSites,
  type NewSite,
  parseNewSite,
  removeSite,
  sitesFromGeoJson,
} from '../../analyse/sites.ts';
import { Gazetteer } from '../../extract/places/gazetteer.ts';
import type { Place } from '../../extract/places/place.ts';
import { addDbOption, printJson, withStore, withStoreReading } from '../shared-options.ts';

const coordinate = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
  return n;
};

/** Places of one name further apart than this are different places: the name alone cannot say which. */
const SAME_PLACE_KM = 25;

/**
 * The one place the gazetteer knows by this name (a landmark or town, else a district), or an error
 * naming the candidates when the name is unknown or means places far apart.
 */
export function placeOfSite(name: string, gazetteer: Pick<Gazetteer, 'lookup'>): Place {
  const named = gazetteer.lookup(name).filter((p) => p.kind !== 'country' && p.kind !== 'province');
  // a district's centroid only stands in when no landmark or town goes by the name (Karachi the city)
  const points = named.filter((p) => p.kind !== 'district');
  const found = points.length ? points : named;
  if (!found.length) {
    throw new InvalidArgumentError(
      `the gazetteer has no place called "${name}": give --lat and --lon, or --geojson FILE`,
    );
  }
  const [first] = found;
  const apart = found.filter(
    (p) => haversineKm(first!.latitude, first!.longitude, p.latitude, p.longitude) > SAME_PLACE_KM,
  );
  if (apart.length) {
    const list = found
      .slice(0, 5)
      .map(
        (p) =>
          `${p.name} (${[p.admin2, p.admin1, p.country].filter(Boolean).join(', ')}: ${p.latitude.toFixed(2)}, ${p.longitude.toFixed(2)})`,
      )
      .join('; ');
    throw new InvalidArgumentError(`"${name}" names places far apart: ${list}; give --lat and --lon`);
  }
  return first!;
}

export function registerSites(program: Command): void {
  // The parent takes no options of its own: `--db` after a subcommand must reach the subcommand.
  const sites = program.command('sites').description('Sites of interest: mines, ports, rail lines, areas');
  addDbOption(
    sites
      .command('list', { isDefault: true })
      .description('List sites (the default)')
      .option('--json', 'print JSON'),
  ).action(async (flags: { json?: boolean; db?: string }) => {
    await withStoreReading(flags.db, async (store) => {
      const list = await listSites(store);
      if (flags.json) return printJson(list);
      process.stdout.write(
        `${table(
          ['id', 'name', 'kind', 'geometry', 'bbox'],
          list.map((s) => [s.id, s.name, s.kind, s.geometry.type, s.bbox.map((n) => n.toFixed(3)).join(',')]),
        )}\n`,
      );
    });
  });

  addDbOption(
    sites
      .command('add [name]')
      .description(
        'Add a site as a point (--lat/--lon; without them, where the gazetteer puts the name) or from a GeoJSON file (points, lines, polygons; NAME may then be left out: each feature is named by its "name" or "title" property, else by the file)',
      )
      .option('--lat <deg>', 'latitude', coordinate(-90, 90))
      .option('--lon <deg>', 'longitude', coordinate(-180, 180))
      .option(
        '--geojson <file>',
        'GeoJSON file: a geometry, Feature or FeatureCollection (one site per feature)',
      )
      .option('--kind <kind>', 'mine, port, rail, road, pipeline, airport, base, …')
      .option('--json', 'print JSON'),
  ).action(
    async (
      given: string | undefined,
      flags: { lat?: number; lon?: number; geojson?: string; kind?: string; json?: boolean; db?: string },
    ) => {
      let candidates: NewSite[];
      if (!given && !flags.geojson) {
        throw new InvalidArgumentError(
          'give the site a NAME (sitrep sites add "Reko Diq" [--lat … --lon …]), or --geojson FILE whose features are named',
        );
      }
      const name = given ?? '';
      if (flags.geojson && (flags.lat !== undefined || flags.lon !== undefined)) {
        // the file's geometry won and the coordinates were dropped without a word
        throw new InvalidArgumentError('give either --geojson FILE or --lat and --lon, not both');
      }
      if (flags.geojson) {
        let doc: unknown;
        try {
          doc = JSON.parse(readFileSync(flags.geojson, 'utf8'));
        } catch (error) {
          throw new Error(`${flags.geojson}: not readable JSON: ${(error as Error).message}`, {
            cause: error,
          });
        }
        try {
          candidates = sitesFromGeoJson(
            doc,
            given || basename(flags.geojson, extname(flags.geojson)),
            flags.kind ?? null,
          );
        } catch (error) {
          throw new Error(
            `${flags.geojson}: not a usable GeoJSON site: ${(error as Error).message.slice(0, 400)}`,
            { cause: error },
          );
        }
        // a NAME given names the file's one site; left out, the feature's own name (or the file's) stands
        if (given && candidates.length === 1 && candidates[0])
          candidates = [{ ...candidates[0], name: given }];
      } else if (flags.lat !== undefined && flags.lon !== undefined) {
        candidates = [
          parseNewSite({
            name,
            kind: flags.kind ?? null,
            geometry: { type: 'Point', coordinates: [flags.lon, flags.lat] },
          }),
        ];
      } else if (flags.lat !== undefined || flags.lon !== undefined) {
        throw new InvalidArgumentError('give both --lat and --lon');
      } else {
        // "Reko Diq", as extraction names the site: the gazetteer knows where it is
        const place = placeOfSite(name, await Gazetteer.load());
        candidates = [
          parseNewSite({
            name,
            kind: flags.kind ?? null,
            geometry: { type: 'Point', coordinates: [place.longitude, place.latitude] },
          }),
        ];
        process.stderr.write(
          `sitrep: placed "${name}" at the gazetteer's ${place.kind} ${place.name} (${[place.admin2, place.admin1, place.country].filter(Boolean).join(', ')}; ${place.latitude.toFixed(4)}, ${place.longitude.toFixed(4)}); give --lat and --lon to place it elsewhere\n`,
        );
      }
      await withStore(flags.db, async (store) => {
        const saved = [];
        for (const site of candidates) saved.push(await addSite(store, site));
        if (flags.json) return printJson(saved);
        for (const s of saved)
          process.stdout.write(`Saved site ${s.id} (${s.geometry.type}${s.kind ? `, ${s.kind}` : ''})\n`);
      });
    },
  );

  addDbOption(sites.command('remove <site>').description('Remove a site by id or name')).action(
    async (site: string, flags: { db?: string }) => {
      await withStore(flags.db, async (store) => {
        const removed = await removeSite(store, site);
        process.stdout.write(removed ? `Removed ${site}\n` : `No site ${site}\n`);
        if (!removed) process.exitCode = 1;
      });
    },
  );
}
