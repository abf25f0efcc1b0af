import { renderChangeBars } from '../../svg/bars.ts';
import { h } from '../../svg/node.ts';
import type * as api from '../api.ts';
import { byId, show } from '../dom.ts';
import type { ViewState } from '../state.ts';

/** Year-on-year change by actor over the last two whole years. */
export function renderTrend(trend: Awaited<ReturnType<typeof api.fetchActorTrend>>, state: ViewState): void {
  const el = byId('trend');
  byId('trend-note').textContent = trend.previousLabel
    ? `${trend.previousLabel} → ${trend.currentLabel}, whole years${trend.partial ? ` (${trend.partial} incomplete, left out)` : ''}`
    : '';
  if (!trend.rows.length || !trend.previousLabel) {
    // a period filter shorter than two whole years is the usual cause: say so, not "no data"
    const dated = state.from !== null || state.to !== null;
    show(
      el,
      h(
        'p',
        { class: 'muted', id: 'trend-empty' },
        dated
          ? 'The period set covers less than two whole years: widen it (or remove the From/To chips) to compare years.'
          : 'Needs at least two whole years of data for these filters.',
      ),
    );
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
