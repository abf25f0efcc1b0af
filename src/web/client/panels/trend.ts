import { renderChangeBars } from '../../svg/bars.ts';
import { h } from '../../svg/node.ts';
import type * as api from '../api.ts';
import { byId, show } from '../dom.ts';

/** Year-on-year change by actor over the last two whole years. */
export function renderTrend(trend: Awaited<ReturnType<typeof api.fetchActorTrend>>): void {
  const el = byId('trend');
  byId('trend-note').textContent = trend.previousLabel
    ? `${trend.previousLabel} → ${trend.currentLabel}, whole years${trend.partial ? ` (${trend.partial} incomplete, left out)` : ''}`
    : '';
  if (!trend.rows.length || !trend.previousLabel) {
    show(el, h('p', { class: 'muted' }, 'Needs at least two years of data for these filters.'));
    return;
  }
  show(
    el,
    renderChangeBars({
      width: Math.max(320, el.clientWidth),
      rows: trend.rows,
      currentLabel: trend.currentLabel,
      previousLabel: trend.previousLabel,
    }),
  );
}
