import { chartRoot } from './chart.ts';
import { formatChange, formatCount } from './format.ts';
import { truncate } from './network.ts';
import { type ElementNode, h } from './node.ts';
import { GRID, INK, MUTED } from './palette.ts';

/** One row: a label with this period's and the previous period's value. */
export interface ChangeRow {
  label: string;
  current: number;
  previous: number;
  /** Put on the row as `data-key` so the dashboard can act on a click (e.g. an actor name). */
  key?: string;
}

export interface ChangeBarsInput {
  width: number;
  rows: readonly ChangeRow[];
  currentLabel: string;
  previousLabel: string;
  rowHeight?: number;
  title?: string;
}

/**
 * Paired horizontal bars (previous period in grey, current in ink) with the change as text:
 * the "trend by actor, year on year" chart.
 */
export function renderChangeBars(input: ChangeBarsInput): ElementNode {
  const rowHeight = input.rowHeight ?? 26;
  const labelWidth = Math.min(230, Math.round(input.width * 0.36));
  const changeWidth = 58;
  const top = 22;
  const height = top + input.rows.length * rowHeight + 6;
  const barX = labelWidth + 8;
  const barMax = input.width - barX - changeWidth - 40;
  const max = Math.max(1, ...input.rows.flatMap((r) => [r.current, r.previous]));
  const w = (v: number) => Math.max(v > 0 ? 1 : 0, (v / max) * barMax);

  const rows = input.rows.map((r, i) => {
    const y = top + i * rowHeight;
    const change = formatChange(r.current, r.previous);
    const up = r.current > r.previous;
    return h(
      'g',
      {
        class: 'row',
        transform: `translate(0,${y})`,
        'data-key': r.key ?? r.label,
        tabindex: 0,
        role: 'button',
      },
      h('rect', { x: 0, y: 0, width: input.width, height: rowHeight, fill: i % 2 ? '#ffffff' : '#f9fafb' }),
      h(
        'text',
        { x: 6, y: rowHeight / 2 + 4, 'font-size': 11.5, fill: INK },
        truncate(r.label, Math.floor(labelWidth / 6.3)),
      ),
      h('rect', { x: barX, y: 5, width: w(r.previous).toFixed(1), height: 6, fill: '#c7ccd4', rx: 1 }),
      h('rect', { x: barX, y: 12, width: w(r.current).toFixed(1), height: 9, fill: '#334155', rx: 1 }),
      h(
        'text',
        {
          x: barX + w(Math.max(r.current, r.previous)) + 5,
          y: rowHeight / 2 + 5,
          'font-size': 10.5,
          fill: MUTED,
        },
        `${formatCount(r.previous)} → ${formatCount(r.current)}`,
      ),
      h(
        'text',
        {
          x: input.width - 6,
          y: rowHeight / 2 + 4,
          'text-anchor': 'end',
          'font-size': 11.5,
          'font-weight': 700,
          fill: change === '—' ? MUTED : up ? '#b42318' : '#067647',
        },
        change,
      ),
      h(
        'title',
        {},
        `${r.label}: ${formatCount(r.current)} (${input.currentLabel}) vs ${formatCount(r.previous)} (${input.previousLabel})`,
      ),
    );
  });

  return chartRoot(
    { width: input.width, height: height, kind: 'bars', label: input.title ?? 'Change by actor' },
    h(
      'g',
      { class: 'key' },
      h('rect', { x: barX, y: 6, width: 10, height: 6, fill: '#c7ccd4' }),
      h('text', { x: barX + 14, y: 12, 'font-size': 10, fill: MUTED }, input.previousLabel),
      h('rect', { x: barX + 90, y: 4, width: 10, height: 9, fill: '#334155' }),
      h('text', { x: barX + 104, y: 12, 'font-size': 10, fill: MUTED }, input.currentLabel),
      h('text', { x: input.width - 6, y: 12, 'text-anchor': 'end', 'font-size': 10, fill: MUTED }, 'change'),
    ),
    h('line', { x1: 0, x2: input.width, y1: top - 1, y2: top - 1, stroke: GRID }),
    rows,
  );
}
