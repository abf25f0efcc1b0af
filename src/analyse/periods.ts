/** Calendar periods and UTC date arithmetic shared by the analyses. */
import type { Dialect } from '../store/migrations.ts';

export const PERIODS = ['year', 'quarter', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** SQL for the sub-year part of a period: 0 for years, else the quarter or month number. */
export function periodPartSql(period: Period, column: string, dialect?: Dialect): string {
  if (period === 'year') return '0';
  return datePartSql(period, column, dialect);
}

/**
 * A date's year, quarter or month as an integer. PostgreSQL's EXTRACT computes in `numeric` (since 14):
 * over a group's 80k events at a million, trend by district and month spent a third of its statement
 * there; DATE_PART (a double, exact for these parts) does not. DuckDB's EXTRACT is an integer already.
 */
export function datePartSql(part: 'year' | 'quarter' | 'month', column: string, dialect?: Dialect): string {
  return dialect === 'postgres'
    ? `CAST(DATE_PART('${part}', ${column}) AS INTEGER)`
    : `CAST(EXTRACT(${part.toUpperCase()} FROM ${column}) AS INTEGER)`;
}

/** `2024`, `2024-Q2`, `2024-05`. */
export function periodLabel(period: Period, year: number, part: number): string {
  if (period === 'year') return String(year);
  if (period === 'quarter') return `${year}-Q${part}`;
  return `${year}-${String(part).padStart(2, '0')}`;
}

const partsPerYear: Record<Period, number> = { year: 1, quarter: 4, month: 12 };

/** The period containing an ISO date, as [year, part]. */
export function periodOf(period: Period, date: string): [number, number] {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (period === 'year') return [year, 0];
  if (period === 'quarter') return [year, Math.ceil(month / 3)];
  return [year, month];
}

/** Every period label from the one containing `from` to the one containing `to`, in order. */
export function periodRange(period: Period, from: string, to: string): string[] {
  const [y0, p0] = periodOf(period, from);
  const [y1, p1] = periodOf(period, to);
  const n = partsPerYear[period];
  const index = (y: number, p: number) => y * n + (period === 'year' ? 0 : p - 1);
  const labels: string[] = [];
  for (let i = index(y0, p0); i <= index(y1, p1) && labels.length < 10_000; i++) {
    const year = Math.floor(i / n);
    labels.push(periodLabel(period, year, period === 'year' ? 0 : (i % n) + 1));
  }
  return labels;
}

/** First and last day of a period label. */
export function periodBounds(label: string): { from: string; to: string } {
  const year = Number(label.slice(0, 4));
  const quarter = /^\d{4}-Q([1-4])$/.exec(label);
  const month = /^\d{4}-(\d{2})$/.exec(label);
  if (quarter) {
    const q = Number(quarter[1]);
    return { from: isoDate(year, (q - 1) * 3 + 1, 1), to: lastDay(year, q * 3) };
  }
  if (month) {
    const m = Number(month[1]);
    return { from: isoDate(year, m, 1), to: lastDay(year, m) };
  }
  return { from: isoDate(year, 1, 1), to: isoDate(year, 12, 31) };
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function lastDay(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** Adds whole months to an ISO date (clamped to the month's last day). */
export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.toISOString().slice(0, 10);
}

/**
 * The first day of the `months` months that end on `to` (inclusive); a month's last day gives whole months
 * (2024-06-30, 6 → 2024-01-01, where counting back from the 30th would give 2023-12-31).
 *
 * @example windowStart('2024-06-30', 6) // '2024-01-01'
 */
export function windowStart(to: string, months: number): string {
  const next = addDays(to, 1);
  // A month's last day: whole months. Any other day: from the day after the same day `months` back.
  return next.endsWith('-01') ? addMonths(next, -months) : addDays(addMonths(to, -months), 1);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b`, inclusive of both. */
export function daysInclusive(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000) + 1;
}
