import type { Command } from 'commander';
import type { ImportBatch } from '../../schema/index.ts';
import type { Store } from '../../store/contract.ts';
import { addDbOption, printJson, withStoreReading } from '../shared-options.ts';

export interface SourceSummary {
  source: string;
  events: number;
  firstDate: string | null;
  lastDate: string | null;
}

/** Events per data set with their date span, and every import batch. */
export async function sourcesOf(store: Store): Promise<{ sources: SourceSummary[]; batches: ImportBatch[] }> {
  const rows = await store.query(
    `SELECT source, COUNT(*) AS events, MIN(event_date) AS first_date, MAX(event_date) AS last_date
     FROM events GROUP BY source ORDER BY source`,
  );
  return {
    sources: rows.map((r) => ({
      source: String(r.source),
      events: Number(r.events),
      firstDate: r.first_date === null ? null : String(r.first_date),
      lastDate: r.last_date === null ? null : String(r.last_date),
    })),
    batches: await store.listBatches(),
  };
}

export function registerSources(program: Command): void {
  addDbOption(
    program
      .command('sources')
      .description('Events per source data set, and the import batches that loaded them.')
      .option('--json', 'print {sources, batches} as JSON (see docs/ingest.md)'),
  ).action(async (flags: { db?: string; json?: boolean }) => {
    const result = await withStoreReading(flags.db, sourcesOf);
    if (flags.json) return printJson(result);
    const lines = ['events per source:'];
    for (const s of result.sources) {
      lines.push(`  ${s.source.padEnd(28)} ${String(s.events).padStart(8)}  ${s.firstDate} … ${s.lastDate}`);
    }
    if (result.sources.length === 0) lines.push('  (none: run `sitrep ingest FILE` or `sitrep demo`)');
    lines.push('', 'import batches:');
    for (const b of result.batches) {
      lines.push(
        `  ${b.startedAt.slice(0, 19)}  ${b.format.padEnd(32)} read ${b.rowsRead}, stored ${b.rowsStored}, rejected ${b.rowsRejected}  ${b.file}  sha256 ${b.sha256.slice(0, 12)}`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
