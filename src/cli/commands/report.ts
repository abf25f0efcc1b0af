import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { plural } from '../../analyse/format.ts';
import { gatherReport } from '../../report/gather.ts';
import { printPdf } from '../../report/pdf.ts';
import { renderReport } from '../../report/render.ts';
import {
  addDbOption,
  addFilterOptions,
  type FilterFlags,
  filterFromFlags,
  list,
  printJson,
  withStoreReading,
} from '../shared-options.ts';

interface ReportFlags extends FilterFlags {
  db?: string;
  out: string;
  pdf?: string;
  title?: string;
  group?: string[];
  site?: string[];
  radius?: string;
  forecast: string;
  json?: boolean;
}

export function registerReport(program: Command): void {
  addFilterOptions(
    addDbOption(
      program
        .command('report')
        .description(
          "Write a self-contained HTML brief (headline figures, map, timeline, trend by actor, newly affected districts, actor network and dated relations, the news texts' claims checked, site exposure, outlook); --pdf also prints it.",
        )
        .requiredOption('--out <file>', 'HTML file to write, e.g. brief.html')
        .option('--pdf <file>', 'also print the brief to this PDF through Chromium')
        .option('--title <text>', 'title of the brief')
        .option('--group <names>', 'actor group name (repeat for several)', (v: string, p: string[] = []) => [
          ...p,
          v,
        ])
        .option(
          '--site <names>',
          'site id or name to assess (repeat or comma-separate; default: every stored site)',
          list,
        )
        .option('--radius <km>', 'exposure radius around each site in km (default 50)')
        .option('--forecast <months>', 'months of forecast in the outlook (0: none)', '6')
        .option(
          '--json',
          'print {out, pdf, events, fatalities, tollUnknown, districts, sites, newDistricts, claims} as JSON',
        ),
    ),
  ).action(async (flags: ReportFlags) => {
    const filter = filterFromFlags(flags);
    const radius = flags.radius === undefined ? undefined : Number(flags.radius);
    const forecastMonths = Number(flags.forecast);
    if (!Number.isInteger(forecastMonths) || forecastMonths < 0 || forecastMonths > 24) {
      throw new Error(`--forecast: expected 0 … 24 months, got ${flags.forecast}`);
    }
    if (radius !== undefined && !(radius > 0 && radius <= 2000))
      throw new Error(`--radius: expected km between 0 and 2000, got ${flags.radius}`);
    const data = await withStoreReading(flags.db, (store) =>
      gatherReport(
        store,
        { ...filter, ...(flags.group ? { groups: flags.group } : {}) },
        {
          ...(flags.title ? { title: flags.title } : {}),
          ...(flags.site ? { sites: flags.site } : {}),
          ...(radius ? { radiusKm: radius } : {}),
          forecastMonths,
        },
      ),
    );
    const out = resolve(flags.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderReport(data));
    let pdf: string | null = null;
    if (flags.pdf) {
      pdf = resolve(flags.pdf);
      mkdirSync(dirname(pdf), { recursive: true });
      await printPdf(out, pdf);
    }
    const summary = {
      out,
      pdf,
      events: data.totals.events,
      fatalities: data.totals.fatalities,
      tollUnknown: data.totals.tollUnknown,
      districts: data.totals.districts,
      sites: data.sites.map((s) => ({
        id: s.site.id,
        score: s.exposure.risk.score,
        level: s.exposure.risk.level,
      })),
      missingSites: data.missingSites,
      newDistricts: data.spread.newDistricts.map((d) => d.admin2),
      claims: data.claims.map((c) => ({ document: c.document.id, quote: c.quote, verdict: c.check.verdict })),
    };
    if (flags.json) return printJson(summary);
    process.stdout.write(
      `wrote ${out}${pdf ? ` and ${pdf}` : ''}: ${summary.events.toLocaleString('en-US')} events, ${summary.tollUnknown ? 'no stated toll' : `${summary.fatalities.toLocaleString('en-US')} fatalities`}, ${plural(summary.districts, 'district')}, ${plural(summary.sites.length, 'site')}${summary.claims.length ? `, ${plural(summary.claims.length, 'claim')} checked` : ''}\n`,
    );
    if (data.missingSites.length)
      process.stderr.write(`sitrep report: sites not in the store: ${data.missingSites.join(', ')}\n`);
  });
}
