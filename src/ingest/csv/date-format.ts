import { isoDateOf, monthNumber } from '../cells.ts';

/**
 * A date pattern such as `dddd-MMMM D-YYYY` ("Sunday-November 19-1995") or `dddd, MMMM DD, YYYY`
 * ("Friday, June 18, 2004") turned into a parser returning YYYY-MM-DD or null.
 * Tokens: YYYY, MMMM/MMM (month name), MM/M, DD/D, dddd/ddd (weekday, not checked); spaces match any run of spaces.
 *
 * @example compileDateFormat('D/M/YYYY')('18/6/2004') // '2004-06-18'
 */
export function compileDateFormat(format: string): (value: string) => string | null {
  const order: ('year' | 'month' | 'monthName' | 'day')[] = [];
  let pattern = '';
  const tokens = /YYYY|MMMM|MMM|MM|M|DD|D|dddd|ddd|\s+|./g;
  for (const [token] of format.matchAll(tokens)) {
    if (token === 'YYYY') {
      order.push('year');
      pattern += '(\\d{4})';
    } else if (token === 'MMMM' || token === 'MMM') {
      order.push('monthName');
      pattern += '([A-Za-z]+)';
    } else if (token === 'MM' || token === 'M') {
      order.push('month');
      pattern += '(\\d{1,2})';
    } else if (token === 'DD' || token === 'D') {
      order.push('day');
      pattern += '(\\d{1,2})';
    } else if (token === 'dddd' || token === 'ddd') {
      pattern += '[A-Za-z]+';
    } else if (/^\s+$/.test(token)) {
      pattern += '\\s+';
    } else {
      pattern += `\\s*${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*`;
    }
  }
  const regex = new RegExp(`^\\s*${pattern}\\s*$`, 'i');
  return (value) => {
    const match = regex.exec(value);
    if (!match) return null;
    let year = 0;
    let month: number | null = 0;
    let day = 0;
    order.forEach((part, i) => {
      const cell = match[i + 1] ?? '';
      if (part === 'year') year = Number(cell);
      else if (part === 'month') month = Number(cell);
      else if (part === 'monthName') month = monthNumber(cell);
      else day = Number(cell);
    });
    return month === null ? null : isoDateOf(year, month, day);
  };
}
