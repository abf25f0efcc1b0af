import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { table } from '../../analyse/format.ts';
import { Gazetteer, geoPrecisionOf, learnPlaces, type Place } from '../../extract/places/index.ts';
import { addDbOption, printJson, wholeNumber, withStore, withStoreReading } from '../shared-options.ts';

const coordinate = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
  return n;
};

interface ContextFlags {
  country?: string;
  admin1?: string;
  db?: string;
  json?: boolean;
}

/** The base gazetteer, or base + learned places when a store is named (--db or $SITREP_DB). */
async function withGazetteer<T>(
  db: string | undefined,
  work: (gazetteer: Gazetteer) => Promise<T> | T,
): Promise<T> {
  if (!db && !process.env.SITREP_DB) return work(await Gazetteer.load());
  return withStoreReading(db, async (store) => work(await Gazetteer.fromStore(store)));
}

const placeRow = (p: Place) => [
  p.name,
  p.kind,
  geoPrecisionOf(p),
  p.admin2,
  p.admin1,
  p.country,
  p.latitude.toFixed(4),
  p.longitude.toFixed(4),
  p.population,
];
const PLACE_HEADER = ['name', 'kind', 'precision', 'admin2', 'admin1', 'country', 'lat', 'lon', 'population'];

function context(flags: ContextFlags): { country?: string; admin1?: string } {
  return {
    ...(flags.country ? { country: flags.country } : {}),
    ...(flags.admin1 ? { admin1: flags.admin1 } : {}),
  };
}

export function registerPlaces(program: Command): void {
  const places = program
    .command('places')
    .description(
      'Offline gazetteer: look up and locate places, find them in text, learn them from stored events',
    );

  addDbOption(
    places
      .command('lookup <name>')
      .description('Places a name may mean, best first (with --db, places learned from the store count too)')
      .option('--country <name>', 'country name or ISO code to prefer')
      .option('--admin1 <name>', 'province / state to prefer')
      .option('--limit <n>', 'at most this many', wholeNumber(1, 1000), 10)
      .option('--json', 'print JSON'),
  ).action(async (name: string, flags: ContextFlags & { limit: number }) => {
    await withGazetteer(flags.db, (gazetteer) => {
      const found = gazetteer.lookup(name, context(flags)).slice(0, flags.limit);
      if (flags.json) return printJson(found.map((p) => ({ ...p, geoPrecision: geoPrecisionOf(p) })));
      process.stdout.write(
        found.length ? `${table(PLACE_HEADER, found.map(placeRow))}\n` : `no place named ${name}\n`,
      );
    });
  });

  places
    .command('locate <lat> <lon>')
    .description('District, province and country of a point (point-in-polygon for Pakistan)')
    .option('--json', 'print JSON')
    .action(async (lat: string, lon: string, flags: { json?: boolean }) => {
      const gazetteer = await Gazetteer.load();
      const at = gazetteer.locate(coordinate(-90, 90)(lat), coordinate(-180, 180)(lon));
      if (flags.json) return printJson(at);
      process.stdout.write(`${[at.admin2, at.admin1, at.country].map((v) => v ?? '—').join(', ')}\n`);
    });

  addDbOption(
    places
      .command('mentions [file]')
      .description(
        'Every place named in a text file (or - / stdin), longest match first, with character spans',
      )
      .option('--country <name>', 'the country the text is about, if known')
      .option('--admin1 <name>', 'the province the text is about, if known')
      .option('--json', 'print JSON'),
  ).action(async (file: string | undefined, flags: ContextFlags) => {
    const text = !file || file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
    await withGazetteer(flags.db, (gazetteer) => {
      const mentions = gazetteer.findMentions(text, context(flags));
      if (flags.json)
        return printJson(
          mentions.map((m) => ({ ...m, place: { ...m.place, geoPrecision: geoPrecisionOf(m.place) } })),
        );
      process.stdout.write(
        `${table(
          ['text', 'start', 'end', ...PLACE_HEADER],
          mentions.map((m) => [m.text, m.start, m.end, ...placeRow(m.place)]),
        )}\n`,
      );
    });
  });

  addDbOption(
    places
      .command('learn')
      .description(
        'Learn every named, located place from the stored events (ACLED/GTD…) into the places table',
      )
      .option('--json', 'print JSON'),
  ).action(async (flags: { db?: string; json?: boolean }) => {
    await withStore(flags.db, async (store) => {
      const summary = await learnPlaces(store);
      if (flags.json) return printJson(summary);
      process.stdout.write(`learned ${summary.places} places from ${summary.events} events\n`);
    });
  });
}
