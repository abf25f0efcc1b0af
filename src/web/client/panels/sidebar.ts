import { formatCount, formatPeriod, shortCount } from '../../svg/format.ts';
import { h } from '../../svg/node.ts';
import { eventTypeColour } from '../../svg/palette.ts';
import type * as api from '../api.ts';
import { byId, show } from '../dom.ts';
import type { ViewState } from '../state.ts';

/** "text" is what the store calls the events read from news documents. */
const sourceName = (source: string) => (source === 'text' ? 'news texts' : source);

/** The removable chips of the active filters, and the controls that mirror the state. */
export function renderChips(state: ViewState): void {
  const chips: [string, string, string][] = [];
  for (const a of state.actors) chips.push(['actors', a, `Actor: ${a}`]);
  for (const g of state.groups) chips.push(['groups', g, `Group: ${g}`]);
  for (const t of state.types) chips.push(['types', t, t]);
  for (const a of state.admin1) chips.push(['admin1', a, `Province: ${a}`]);
  for (const a of state.admin2) chips.push(['admin2', a, `District: ${a}`]);
  for (const x of state.sources) chips.push(['sources', x, `Source: ${sourceName(x)}`]);
  if (state.from) chips.push(['from', state.from, `From ${state.from}`]);
  if (state.to) chips.push(['to', state.to, `To ${state.to}`]);
  show(
    byId('chips'),
    chips.length
      ? chips.map(([key, value, label]) =>
          h(
            'button',
            {
              type: 'button',
              class: 'chip',
              'data-remove': JSON.stringify([key, value]),
              title: 'Remove this filter',
            },
            label,
            h('span', { class: 'x', 'aria-hidden': 'true' }, '×'),
          ),
        )
      : h('span', { class: 'muted' }, 'No filters: showing all events in the store.'),
  );
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-metric]'))) {
    b.classList.toggle('on', b.getAttribute('data-metric') === state.metric);
  }
  byId<HTMLInputElement>('from').value = state.from ?? '';
  byId<HTMLInputElement>('to').value = state.to ?? '';
}

/** Event types with their facet counts. */
export function renderTypeList(state: ViewState, m: api.Meta, typeCounts: Map<string, number>): void {
  const types = [...new Set([...m.eventTypes, ...typeCounts.keys()])];
  show(
    byId('types'),
    types.map((t) =>
      h(
        'button',
        {
          type: 'button',
          class: state.types.includes(t) ? 'type on' : 'type',
          'data-type': t,
          'aria-pressed': state.types.includes(t) ? 'true' : 'false',
        },
        h('span', { class: 'swatch', style: `background:${eventTypeColour(t)}` }),
        h('span', { class: 'label' }, t),
        h('span', { class: 'count' }, shortCount(typeCounts.get(t) ?? 0)),
      ),
    ),
  );
}

/**
 * The actor list, groups, place and source pickers: from the store-wide facts alone, so they work
 * even when a count query fails.
 */
export function renderPickers(state: ViewState, m: api.Meta): void {
  show(
    byId('actor-list'),
    m.actors.slice(0, 500).map((a) => h('option', { value: a.name })),
  );
  show(
    byId('groups'),
    m.groups.map((g) =>
      h(
        'button',
        { type: 'button', class: state.groups.includes(g) ? 'group on' : 'group', 'data-group': g },
        g,
      ),
    ),
  );
  const admin1 = byId<HTMLSelectElement>('admin1-select');
  show(
    admin1,
    h('option', { value: '' }, 'All provinces'),
    m.admin1.map((a) => h('option', { value: a, selected: state.admin1[0] === a }, a)),
  );
  const districts = m.admin2.filter(
    (d) => !state.admin1.length || d.admin1 === null || state.admin1.includes(d.admin1),
  );
  show(
    byId<HTMLSelectElement>('admin2-select'),
    h('option', { value: '' }, 'All districts'),
    districts.map((d) => h('option', { value: d.name, selected: state.admin2[0] === d.name }, d.name)),
  );
  show(
    byId<HTMLSelectElement>('source-select'),
    h('option', { value: '' }, 'All sources'),
    m.sources.map((x) =>
      h(
        'option',
        { value: x.name, selected: state.sources[0] === x.name },
        `${sourceName(x.name)} (${formatCount(x.events)})`,
      ),
    ),
  );
}

/**
 * The headline's period: the dates the user set, else the months of the matching events (`months`, the
 * months with events under every filter but the dates). Never the whole store's range: with
 * `?source=text` or one actor, the store's 1995–2025 is not the period of what is counted.
 *
 * @example headlinePeriod({ from: null, to: null }, ['2014-03', '2024-10']) // 'Mar 2014 – Oct 2024'
 */
export function headlinePeriod(
  dates: { from: string | null; to: string | null },
  months: readonly string[],
  yearOnly: readonly string[] = [],
): string {
  // Events known only to their year (YYYY) read as years: when such a year is at or past an end of the
  // months, that end is the year ("2016", not "Jan 2016": the event may fall anywhere in it).
  const firstMonth = months[0];
  const lastMonth = months[months.length - 1];
  const firstYear = yearOnly[0];
  const lastYear = yearOnly[yearOnly.length - 1];
  const first = firstYear && (!firstMonth || firstYear <= firstMonth.slice(0, 4)) ? firstYear : firstMonth;
  const last = lastYear && (!lastMonth || lastYear >= lastMonth.slice(0, 4)) ? lastYear : lastMonth;
  if (dates.from || dates.to) {
    const from = dates.from ?? first;
    const to = dates.to ?? last;
    return `${from ? formatPeriod(from) : '…'} – ${to ? formatPeriod(to) : '…'}`;
  }
  if (!first || !last) return 'no events';
  return first === last ? formatPeriod(first) : `${formatPeriod(first)} – ${formatPeriod(last)}`;
}

/** The headline counts for the current filters. */
export function renderKpis(totals: api.Totals, districts: number, period: string): void {
  show(
    byId('kpis'),
    h(
      'div',
      { class: 'kpi' },
      h('div', { class: 'value', id: 'kpi-events' }, formatCount(totals.events)),
      h('div', { class: 'label' }, 'events'),
    ),
    h(
      'div',
      {
        class: 'kpi',
        title: totals.tollUnknown ? 'None of these events states its toll: unknown, not none.' : null,
      },
      // No event states a toll: a 0 would read as "nobody died" (as `sitrep spread` and the brief, "—").
      h(
        'div',
        { class: 'value', id: 'kpi-fatalities' },
        totals.tollUnknown ? '—' : formatCount(totals.fatalities),
      ),
      h('div', { class: 'label' }, totals.tollUnknown ? 'fatalities (not stated)' : 'fatalities'),
    ),
    h(
      'div',
      { class: 'kpi' },
      h('div', { class: 'value', id: 'kpi-districts' }, formatCount(districts)),
      h('div', { class: 'label' }, 'districts hit'),
    ),
    h(
      'div',
      { class: 'kpi period' },
      h('div', { class: 'label' }, 'period'),
      h('div', { class: 'range', id: 'kpi-period' }, period),
    ),
  );
}
