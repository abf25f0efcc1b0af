import { countNoun, formatCount, formatPeriod, monthsBetween } from '../../svg/format.ts';
import { h } from '../../svg/node.ts';
import { renderTimeline, type TimelineBucket } from '../../svg/timeline.ts';
import type { ForecastSeries, YearOnly } from '../api.ts';
import { show } from '../dom.ts';
import type { ViewState } from '../state.ts';

/** Fills months (or weeks, keyed by their Monday) with no events so gaps show as gaps. */
export function completeMonths(buckets: readonly TimelineBucket[]): TimelineBucket[] {
  if (!buckets.length) return [];
  const byPeriod = new Map(buckets.map((b) => [b.period, b]));
  const first = buckets[0]!.period;
  const last = buckets[buckets.length - 1]!.period;
  const periods = first.length === 10 ? weeksBetween(first, last) : monthsBetween(first, last);
  return periods.map((p) => byPeriod.get(p) ?? { period: p, byType: {} });
}

/** Mondays from `first` to `last` (both Mondays, YYYY-MM-DD). */
export function weeksBetween(first: string, last: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= end && out.length <= 2400; t += 7 * 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export function renderTimelinePanel(
  target: HTMLElement,
  buckets: readonly TimelineBucket[],
  forecast: ForecastSeries | null,
  state: ViewState,
  yearOnly: readonly YearOnly[] = [],
): void {
  // drawn at the panel's own width (a phone's 330 px too: scaled down from 480, its labels were unreadable)
  const width = target.clientWidth > 0 ? Math.max(280, target.clientWidth) : 480;
  const apart = yearOnlyNote(yearOnly, state.metric, buckets[0]?.period.length === 10 ? 'weekly' : 'monthly');
  if (buckets.length === 0) {
    if (apart) {
      show(target, apart);
      return;
    }
    show(
      target,
      h(
        'p',
        { class: 'muted empty' },
        'No events for these filters. An empty store? Load a file with `sitrep ingest <file>`.',
      ),
    );
    return;
  }
  show(
    target,
    renderTimeline({
      width,
      height: 210,
      metric: state.metric,
      buckets: completeMonths(buckets),
      selection: { from: state.from ?? undefined, to: state.to ?? undefined },
      // Forecasts are monthly: beside weekly bars their heights would read four times too high.
      forecast: buckets[0]?.period.length === 10 || !forecast ? [] : forecast[state.metric],
    }),
    apart,
  );
}

/**
 * Events known only to their year are counted under the chart, not drawn: stored on the 1st of January,
 * they would make a January spike, and spread over the months they would invent a monthly rate the source
 * never gave. Null when there are none.
 *
 * @example yearOnlyNote([{ year: '2014', events: 6, fatalities: 9 }], 'events', 'monthly')
 * // <p>6 events known only to the year, not in the monthly bars: 2014 (6)</p>
 */
export function yearOnlyNote(
  yearOnly: readonly YearOnly[],
  metric: 'events' | 'fatalities',
  bars: 'monthly' | 'weekly',
) {
  if (!yearOnly.length) return null;
  const events = yearOnly.reduce((sum, y) => sum + y.events, 0);
  const perYear = yearOnly
    .map((y) => `${y.year} (${formatCount(y[metric])}${metric === 'fatalities' ? ' fatalities' : ''})`)
    .join(', ');
  return h(
    'p',
    { id: 'timeline-year-only', class: 'note year-only' },
    `${countNoun(events, 'event')} known only to the year, not in the ${bars} bars: ${perYear}`,
  );
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Drag across the timeline's period columns to choose a date range; a click on one column picks that
 * period; a click outside any column clears nothing (the chips clear).
 */
export function attachBrush(target: HTMLElement, onRange: (from: string, to: string) => void): void {
  let start: SVGRectElement | null = null;
  let brush: SVGRectElement | null = null;
  const hitAt = (e: PointerEvent): SVGRectElement | null => {
    const el = document.elementFromPoint(e.clientX, e.clientY);
    return el instanceof SVGRectElement && el.classList.contains('hit') ? el : null;
  };
  const extent = (a: SVGRectElement, b: SVGRectElement) => {
    const [first, last] = Number(a.dataset.index) <= Number(b.dataset.index) ? [a, b] : [b, a];
    return { first, last };
  };
  target.addEventListener('pointerdown', (e) => {
    const hit = hitAt(e);
    if (!hit) return;
    e.preventDefault();
    start = hit;
    const svg = hit.ownerSVGElement!;
    brush = document.createElementNS(SVG_NS, 'rect');
    brush.setAttribute('class', 'brush');
    brush.setAttribute('y', hit.getAttribute('y') ?? '0');
    brush.setAttribute('height', hit.getAttribute('height') ?? '0');
    brush.setAttribute('pointer-events', 'none');
    svg.insertBefore(brush, svg.querySelector('g.hits'));
    draw(hit);
  });
  const draw = (current: SVGRectElement) => {
    if (!start || !brush) return;
    const { first, last } = extent(start, current);
    const x0 = Number(first.getAttribute('x'));
    const x1 = Number(last.getAttribute('x')) + Number(last.getAttribute('width'));
    brush.setAttribute('x', String(x0));
    brush.setAttribute('width', String(x1 - x0));
    const note = document.getElementById('timeline-note');
    if (note)
      note.textContent = `${formatPeriod(first.dataset.period ?? '')} – ${formatPeriod(last.dataset.period ?? '')}`;
  };
  target.addEventListener('pointermove', (e) => {
    if (!start) return;
    const hit = hitAt(e);
    if (hit) draw(hit);
  });
  const finish = (e: PointerEvent) => {
    if (!start) return;
    const end = hitAt(e) ?? start;
    const { first, last } = extent(start, end);
    start = null;
    brush?.remove();
    brush = null;
    if (first.dataset.from && last.dataset.to) onRange(first.dataset.from, last.dataset.to);
  };
  window.addEventListener('pointerup', finish);
}
