import { z } from 'zod';
import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';
import { placeMonthsWhere } from '../store/place-months.ts';
import { withoutActors, withoutDates } from './filter.ts';
import { memoised } from './memo.ts';

export interface Coverage {
  /**
   * First and last event date in the data the question draws on (ignoring actor and date filters). Events
   * read from news text do not count here when data sets are present: one article telling of last week
   * does not make a data set that stops in June run to last week.
   */
  first: string | null;
  last: string | null;
  /**
   * The last event date from any source, news text included: later than `last` when news reports tell of
   * days after the data sets end. Exposure's recent window ends here (a security team reads the latest
   * reports first); questions comparing whole periods keep to `last`.
   */
  lastReport: string | null;
  events: number;
  sources: string[];
}

/** Coverage as answers carry it (API schemas, `--json`). */
export const CoverageSchema = z.object({
  first: z.string().nullable(),
  last: z.string().nullable(),
  lastReport: z.string().nullable(),
  events: z.number(),
  sources: z.array(z.string()),
});

/** The source of events extracted from news documents (src/extract/extract-document.ts `toEventRecord`). */
const TEXT_SOURCE = 'text';

/**
 * What period the data covers, regardless of who acted: a quiet actor is not missing data, but a data set that
 * stops in June cannot answer for December.
 */
export function dataCoverage(db: Queryable, filter: EventFilter): Promise<Coverage> {
  const base = withoutDates(withoutActors(filter));
  return memoised(db, `coverage:${JSON.stringify(base)}`, () => coverageOf(db, base));
}

async function coverageOf(db: Queryable, base: EventFilter): Promise<Coverage> {
  const params = new Params(db.dialect);
  // Filters of places, types and sources are answered from place_months's first and last days.
  const monthly = placeMonthsWhere(base, params);
  const rows = await db.query<{ first: string | null; last: string | null; events: number; source: string }>(
    monthly
      ? `SELECT m.source, MIN(m.first) AS first, MAX(m.last) AS last, SUM(m.events) AS events
         FROM place_months m WHERE ${monthly} GROUP BY m.source ORDER BY m.source`
      : `SELECT e.source, MIN(e.event_date) AS first, MAX(e.event_date) AS last, COUNT(*) AS events
         FROM events e WHERE ${filterSql(base, params)} GROUP BY e.source ORDER BY e.source`,
    params.values,
  );
  const datasets = rows.filter((r) => r.source !== TEXT_SOURCE);
  const spanning = datasets.length > 0 ? datasets : rows;
  const firsts = spanning.map((r) => r.first).filter((d): d is string => d !== null);
  const lasts = spanning.map((r) => r.last).filter((d): d is string => d !== null);
  return {
    first: firsts.sort()[0] ?? null,
    last: lasts.sort().at(-1) ?? null,
    lastReport:
      rows
        .map((r) => r.last)
        .filter((d): d is string => d !== null)
        .sort()
        .at(-1) ?? null,
    events: rows.reduce((n, r) => n + Number(r.events), 0),
    sources: rows.map((r) => r.source),
  };
}
