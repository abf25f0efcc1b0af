/** Number and date formatting shared by the dashboard and the report. */

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1 event", "2,819 events": a count with its noun, singular for one. */
export function countNoun(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}

/** 950 → "950", 12_400 → "12.4k", 1_250_000 → "1.25M". */
export function shortCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${+(n / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(n / 1e3).toPrecision(3)}k`;
  return formatCount(n);
}

/** Year-on-year change as text: "+45%", "−12%", "new" when there was nothing before, "—" when both are 0. */
export function formatChange(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? '—' : 'new';
  const pct = Math.round(((current - previous) / previous) * 100);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct)}%`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2024-03" → "Mar 2024"; "2024-03-18" → "18 Mar 2024". */
export function formatPeriod(period: string): string {
  const [y, m, d] = period.split('-');
  if (m === undefined) return y ?? period;
  const month = MONTHS[Number(m) - 1] ?? m;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

/**
 * An event's date as precisely as its source gives it: a news text that says "in October" was stored as
 * the 1st of the month, which must not read as a day. Day (or unknown) precision: the ISO day.
 *
 * @example formatEventDate('2024-10-01', 'month') // 'Oct 2024'
 */
export function formatEventDate(date: string, precision: string | null | undefined): string {
  if (precision === 'month') return formatPeriod(date.slice(0, 7));
  if (precision === 'year') return date.slice(0, 4);
  if (precision === 'week') return `week of ${date}`;
  return date;
}

/**
 * A date as a reader says it, only as precisely as it is known: a day as "1 Mar 2013", a month-precision
 * date (stored as the 1st) as "Mar 2013", a year-precision one as "2016".
 *
 * @example formatDateAt('2016-01-01', 'year') // '2016'
 */
export function formatDateAt(date: string, precision: string | null | undefined): string {
  if (precision === 'year') return date.slice(0, 4);
  if (precision === 'month') return formatPeriod(date.slice(0, 7));
  if (precision === 'week') return `week of ${formatPeriod(date)}`;
  return formatPeriod(date);
}

/** "../shared/samples/a.txt", "/data/a.txt", "news/a.txt", "C:\\news\\a.txt": a file path, not a name. */
const FILE_PATH = /^(?:\.{0,2}\/|[A-Za-z]:\\)|^[\w.-]+(?:[/\\][\w. -]+)+$/;

/**
 * A stored document's source as people should read it: a file path recorded as the ingest was given it
 * ("../shared/samples/analysis-balochistan-2025.txt", relative to wherever that ran) becomes its file
 * name; anything else (a feed, "wire", a URL) is kept as it is.
 *
 * @example sourceLabel('../shared/samples/analysis-balochistan-2025.txt') // 'analysis-balochistan-2025.txt'
 */
export function sourceLabel(source: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) || !FILE_PATH.test(source)) return source;
  return source.split(/[/\\]/).filter(Boolean).at(-1) ?? source;
}

/** First and last day of a period: a month "YYYY-MM", a week starting "YYYY-MM-DD", or a year "YYYY". */
export function periodRange(period: string): { from: string; to: string } {
  if (/^\d{4}$/.test(period)) return { from: `${period}-01-01`, to: `${period}-12-31` };
  if (/^\d{4}-\d{2}$/.test(period)) {
    const [y, m] = period.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
  }
  const start = new Date(`${period}T00:00:00Z`);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  return { from: period, to: end.toISOString().slice(0, 10) };
}

/** Every month from the first to the last (inclusive), so gaps show as empty bars rather than vanish. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.slice(0, 7).split('-').map(Number) as [number, number];
  const [ly, lm] = last.slice(0, 7).split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    if (out.length > 2400) break;
  }
  return out;
}
