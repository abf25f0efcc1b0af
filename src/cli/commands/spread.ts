import type { Command } from 'commander';
import { addGroupOption, questionFilter } from '../../analyse/cli-filter.ts';
import { plural, table } from '../../analyse/format.ts';
import { spread } from '../../analyse/spread.ts';
import {
  addDbOption,
  addFilterOptions,
  clip,
  type FilterFlags,
  filterFromFlags,
  printJson,
  resolveQuestion,
  wholeNumber,
  withStoreReading,
} from '../shared-options.ts';

export function registerSpread(program: Command): void {
  const command = program
    .command('spread')
    .description(
      'Districts and provinces newly hit in a window (--from/--to; default: the last 6 months of data) against the months before it',
    )
    .option('--baseline-months <n>', 'months before --from that form the baseline', wholeNumber(1, 600), 24)
    .option(
      '--home <admin1>',
      "the actor's home province (default: its group's, else its busiest)",
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--json', 'print JSON');
  addGroupOption(addFilterOptions(addDbOption(command))).action(
    async (
      flags: FilterFlags & {
        baselineMonths: number;
        home?: string[];
        group?: string[];
        json?: boolean;
        db?: string;
      },
    ) => {
      const question = questionFilter(filterFromFlags(flags), flags.group);
      await withStoreReading(flags.db, async (store) => {
        const { filter, groups } = await resolveQuestion(store, question);
        const groupHome = [...new Set(groups.flatMap((g) => g.homeAdmin1))];
        const result = await spread(store, {
          filter,
          baselineMonths: flags.baselineMonths,
          ...(flags.home?.length
            ? { home: { admin1: flags.home, basis: 'given' as const } }
            : groupHome.length
              ? { home: { admin1: groupHome, basis: 'group' as const } }
              : {}),
        });
        if (flags.json) return printJson(result);
        const out = process.stdout;
        out.write(
          `Window ${result.window.from} … ${result.window.to}; baseline ${result.baseline.from} … ${result.baseline.to}\n`,
        );
        out.write(
          `Districts with events: ${result.districtsInWindow} in the window, ${result.districtsInBaseline} in the baseline, of ${result.districtsKnown} known — diffusion index ${result.diffusionIndex} (baseline ${result.diffusionBaseline})\n\n`,
        );
        if (result.newDistricts.length) {
          out.write('New districts (none in the baseline):\n');
          out.write(
            `${table(
              ['district', 'province', 'events', 'fatalities', 'first event', 'where', 'who'],
              result.newDistricts.map((d) => [
                d.admin2,
                d.admin1,
                d.windowEvents,
                // no event states its toll: unknown, not zero
                d.windowEventsWithToll ? d.windowFatalities : null,
                d.firstEvent?.date ?? null,
                d.firstEvent?.location ?? null,
                d.firstEvent?.actor ? clip(d.firstEvent.actor, 40) : null,
              ]),
            )}\n\n`,
          );
        } else out.write('No district was hit in the window that was quiet in the baseline.\n\n');
        if (result.newProvinces.length)
          out.write(
            `New provinces: ${result.newProvinces.map((p) => `${p.admin1} (first ${p.firstDate})`).join(', ')}\n`,
          );
        if (result.home.admin1.length) {
          out.write(
            `Outside home (${result.home.admin1.join(', ')}, ${result.home.basis}): ${plural(result.outsideHome.events, 'event')}, ${result.outsideHome.eventsWithToll ? result.outsideHome.fatalities : '—'} fatalities${
              result.outsideHome.byAdmin1.length
                ? ` — ${result.outsideHome.byAdmin1.map((a) => `${a.admin1} ${a.events}`).join(', ')}`
                : ''
            }\n`,
          );
        }
        for (const caveat of result.caveats) out.write(`Note: ${caveat}\n`);
      });
    },
  );
}
