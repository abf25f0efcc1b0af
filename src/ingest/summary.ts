import { formatReject } from './rejects.ts';
import type { FileReport, IngestReport } from './run-ingest.ts';

/** The counts of a run, summed over its files. */
export type IngestTotals = Pick<
  FileReport,
  'rowsRead' | 'stored' | 'inserted' | 'updated' | 'unchanged' | 'rejected'
>;

export function ingestTotals(report: IngestReport): IngestTotals {
  const totals: IngestTotals = { rowsRead: 0, stored: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const file of report.files) {
    for (const key of Object.keys(totals) as (keyof IngestTotals)[]) totals[key] += file[key];
  }
  return totals;
}

const n = (value: number) => value.toLocaleString('en-US');

/**
 * The summary people read after an ingest: per file what was read, stored (new / updated / unchanged)
 * and rejected, then the rejects as `file:line: field: reason` (the first `maxRejects`).
 */
export function formatIngestReport(report: IngestReport, maxRejects = 20): string {
  const lines: string[] = [];
  for (const f of report.files) {
    const kind = f.mapping ? `csv, mapping ${f.mapping}` : f.format;
    lines.push(
      `${f.file} (${kind}): read ${n(f.rowsRead)}, stored ${n(f.stored)} (${n(f.inserted)} new, ${n(f.updated)} updated, ${n(f.unchanged)} unchanged), rejected ${n(f.rejected)} in ${f.seconds.toFixed(1)} s`,
    );
  }
  for (const s of report.skipped) lines.push(`skipped ${s.reason}`);
  const rejects = report.files.flatMap((f) => f.rejects);
  const rejectedTotal = report.files.reduce((sum, f) => sum + f.rejected, 0);
  if (rejectedTotal > 0) {
    lines.push('', `rejected rows (${n(rejectedTotal)}):`);
    for (const reject of rejects.slice(0, maxRejects)) lines.push(`  ${formatReject(reject)}`);
    if (rejectedTotal > maxRejects)
      lines.push(`  … ${n(rejectedTotal - maxRejects)} more (use --rejects PATH to list all)`);
  }
  if (report.files.length > 1) {
    const t = ingestTotals(report);
    lines.push(
      '',
      `total: read ${n(t.rowsRead)}, stored ${n(t.stored)} (${n(t.inserted)} new, ${n(t.updated)} updated, ${n(t.unchanged)} unchanged), rejected ${n(t.rejected)}`,
    );
  }
  return lines.join('\n');
}
