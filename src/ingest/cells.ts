import { createHash } from 'node:crypto';
import type { CountRange } from '../schema/index.ts';
import { RowError, type SourceRow } from './importer.ts';

/**
 * Readers for one cell of a source row. Every reader treats '', whitespace and JSON null as missing,
 * and throws a RowError naming the column when a present value cannot be read.
 */

export function text(row: SourceRow, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value.trim() : String(value);
  return s === '' ? null : s;
}

export function float(row: SourceRow, column: string): number | null {
  const value = row[column];
  if (typeof value === 'number') return value;
  const s = text(row, column);
  if (s === null) return null;
  // Hand-typed compilations carry stray marks around numbers ("_71.456944", "33.7°").
  const n = Number(/^[\d.+-]/.test(s) && /\d$/.test(s) ? s : s.replace(/^[_'\s]+|[_'°\s]+$/g, ''));
  if (!Number.isFinite(n)) throw new RowError(column, `not a number: ${JSON.stringify(s)}`);
  return n;
}

/** A whole count; `unknown` codes (GTD's −99, −9) and other negatives mean "not known". */
export function count(row: SourceRow, column: string): number | null {
  const n = float(row, column);
  if (n === null || n < 0) return null;
  if (!Number.isInteger(n)) throw new RowError(column, `not a whole number: ${n}`);
  return n;
}

/** 1/0, true/false, yes/no; GTD's −9 (unknown) is null. */
export function flag(row: SourceRow, column: string): boolean | null {
  const value = row[column];
  if (typeof value === 'boolean') return value;
  const s = text(row, column)?.toLowerCase() ?? null;
  if (s === null || s === '-9' || s === '-99') return null;
  if (s === '1' || s === 'true' || s === 'yes' || s === 'y') return true;
  if (s === '0' || s === 'false' || s === 'no' || s === 'n') return false;
  throw new RowError(column, `not a yes/no value: ${JSON.stringify(s)}`);
}

export function range(low: number | null, best: number | null, high: number | null): CountRange {
  return { low, best, high };
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Month number (1–12) of an English month name or its first three letters, else null. */
export function monthNumber(name: string): number | null {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex((m) => m === lower || (lower.length >= 3 && m.startsWith(lower)));
  return index < 0 ? null : index + 1;
}

/** YYYY-MM-DD for a calendar date, or null when the day does not exist (31 February). */
export function isoDateOf(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;
const DAY_MONTH_YEAR = /^(\d{1,2})[\s-]+([A-Za-z]+)[\s-]+(\d{4})$/;

/** A required date written as ISO (time part ignored) or as ACLED's older "30 June 2024". */
export function date(row: SourceRow, column: string): string {
  const s = text(row, column);
  if (s === null) throw new RowError(column, 'missing date');
  let parts: [number, number | null, number] | null = null;
  const iso = ISO.exec(s);
  if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const dmy = DAY_MONTH_YEAR.exec(s);
  if (dmy) parts = [Number(dmy[3]), monthNumber(dmy[2] ?? ''), Number(dmy[1])];
  const iso8601 = parts && parts[1] !== null ? isoDateOf(parts[0], parts[1], parts[2]) : null;
  if (!iso8601) throw new RowError(column, `not a date: ${JSON.stringify(s)}`);
  return iso8601;
}

/** A stable id for a record without one: a hash of the cells that make it one event. */
export function stableId(values: readonly unknown[]): string {
  return `h${createHash('sha1').update(JSON.stringify(values)).digest('hex').slice(0, 20)}`;
}
