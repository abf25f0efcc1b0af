import { renderChangeBars } from '../svg/bars.ts';
import { formatCount, formatPeriod, shortCount } from '../svg/format.ts';
import { h } from '../svg/node.ts';
import { eventTypeColour } from '../svg/palette.ts';
import * as api from './api.ts';
import { byId, onClick, show } from './dom.ts';
import { renderDetail, textProvenance } from './panels/detail.ts';
import { renderMapPanel } from './panels/map.ts';
import { renderNetworkPanel } from './panels/network.ts';
import { attachSitePanel, renderSitePanel } from './panels/sites.ts';
import { attachBrush, renderTimelinePanel } from './panels/timeline.ts';
import { EMPTY_STATE, parseState, stateToSearch, toggle, type ViewState } from './state.ts';

/** The dashboard: one view state (in the URL), panels that each ask the API for what they draw. */

let state: ViewState = parseState(location.search);
let meta: api.Meta | null = null;
let generation = 0;
let controller: AbortController | null = null;

/** Single events are drawn (binned when many) up to this count; above it the map shows districts only. */
const POINT_LIMIT = 4000;

export function setState(patch: Partial<ViewState>, options: { history?: 'push' | 'replace' } = {}): void {
  state = { ...state, ...patch };
  const url = `${location.pathname}${stateToSearch(state)}`;
  if (options.history === 'replace') history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void refresh();
}

export function currentState(): ViewState {
  return state;
}

function layout(): void {
  const root = byId('app');
  show(
    root,
    h(
      'header',
      { class: 'topbar' },
      h(
        'div',
        { class: 'brand' },
        h('span', { class: 'logo' }, 'SITREP'),
        h('span', { class: 'tag' }, 'conflict-event intelligence'),
      ),
      h('div', { id: 'coverage', class: 'coverage' }),
      h(
        'div',
        { class: 'actions' },
        h(
          'div',
          { class: 'segmented', role: 'group', 'aria-label': 'Measure' },
          h('button', { type: 'button', 'data-metric': 'events' }, 'Events'),
          h('button', { type: 'button', 'data-metric': 'fatalities' }, 'Fatalities'),
        ),
        h('button', { type: 'button', id: 'copy-link', class: 'ghost' }, 'Copy link'),
        h('button', { type: 'button', id: 'reset', class: 'ghost' }, 'Reset'),
      ),
    ),
    h('div', { id: 'chips', class: 'chips', 'aria-live': 'polite' }),
    h(
      'main',
      { class: 'layout' },
      h(
        'aside',
        { class: 'sidebar' },
        h('section', { id: 'kpis', class: 'kpis' }),
        h(
          'section',
          { class: 'block' },
          h('h3', {}, 'Period'),
          h(
            'form',
            { id: 'period-form', class: 'row' },
            h('input', { type: 'date', id: 'from', 'aria-label': 'From' }),
            h('span', { class: 'dash' }, '–'),
            h('input', { type: 'date', id: 'to', 'aria-label': 'To' }),
            h('button', { type: 'submit', class: 'small' }, 'Set'),
          ),
        ),
        h(
          'section',
          { class: 'block' },
          h('h3', {}, 'Event type'),
          h('div', { id: 'types', class: 'type-list' }),
        ),
        h(
          'section',
          { class: 'block' },
          h('h3', {}, 'Actor'),
          h(
            'form',
            { id: 'actor-form', class: 'row' },
            h('input', {
              type: 'text',
              id: 'actor-input',
              list: 'actor-list',
              placeholder: 'Actor or alias',
              autocomplete: 'off',
            }),
            h('button', { type: 'submit', class: 'small' }, 'Add'),
          ),
          h('datalist', { id: 'actor-list' }),
          h('div', { id: 'groups', class: 'group-list' }),
        ),
        h(
          'section',
          { class: 'block' },
          h('h3', {}, 'Place'),
          h('select', { id: 'admin1-select', 'aria-label': 'Province' }),
          h('select', { id: 'admin2-select', 'aria-label': 'District' }),
        ),
      ),
      h(
        'div',
        { class: 'content' },
        h(
          'section',
          { class: 'panel map-panel' },
          h('header', {}, h('h2', {}, 'Where'), h('span', { id: 'map-note', class: 'note' })),
          h('div', { id: 'map', class: 'chart' }),
        ),
        h(
          'section',
          { class: 'panel network-panel' },
          h(
            'header',
            {},
            h('h2', {}, 'Who — actor network'),
            h('span', { class: 'note' }, 'click an actor to filter'),
          ),
          h('div', { id: 'network', class: 'chart' }),
        ),
        h(
          'section',
          { class: 'panel timeline-panel' },
          h(
            'header',
            {},
            h('h2', {}, 'When'),
            h('span', { id: 'timeline-note', class: 'note' }, 'drag across the bars to set the period'),
          ),
          h('div', { id: 'timeline', class: 'chart' }),
        ),
        h(
          'section',
          { class: 'panel trend-panel' },
          h(
            'header',
            {},
            h('h2', {}, 'Trend by actor, year on year'),
            h('span', { id: 'trend-note', class: 'note' }),
          ),
          h('div', { id: 'trend', class: 'chart' }),
        ),
        h(
          'section',
          { class: 'panel events-panel' },
          h('header', {}, h('h2', {}, 'Latest events'), h('span', { id: 'events-note', class: 'note' })),
          h('div', { id: 'events', class: 'table-wrap' }),
        ),
        h(
          'section',
          { class: 'panel site-panel' },
          h('header', {}, h('h2', {}, 'Site risk')),
          h('div', { id: 'site' }),
        ),
        h(
          'section',
          { class: 'panel claim-panel' },
          h('header', {}, h('h2', {}, 'Check a claim')),
          h(
            'form',
            { id: 'claim-form' },
            h('textarea', {
              id: 'claim-input',
              rows: 2,
              placeholder: 'e.g. BLA attacks in Balochistan rose in 2024 compared with 2023',
            }),
            h('button', { type: 'submit' }, 'Check'),
          ),
          h('div', { id: 'claim-result', 'aria-live': 'polite' }),
        ),
      ),
      h('aside', { id: 'detail', class: 'detail', hidden: true, 'aria-label': 'Event detail' }),
    ),
    h(
      'footer',
      { class: 'footer', id: 'footer' },
      'Sitrep · data stays on this machine · no external requests',
    ),
  );
  root.removeAttribute('aria-busy');
  wireControls();
}

function wireControls(): void {
  const top = document.querySelector('.topbar')!;
  onClick(top, '[data-metric]', (el) =>
    setState({ metric: el.getAttribute('data-metric') === 'fatalities' ? 'fatalities' : 'events' }),
  );
  byId('reset').addEventListener('click', () => setState({ ...EMPTY_STATE }));
  byId('copy-link').addEventListener('click', () => {
    void navigator.clipboard?.writeText(location.href).catch(() => undefined);
    byId('copy-link').textContent = 'Link copied';
    setTimeout(() => {
      byId('copy-link').textContent = 'Copy link';
    }, 1500);
  });
  byId('period-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const from = byId<HTMLInputElement>('from').value || null;
    const to = byId<HTMLInputElement>('to').value || null;
    setState({ from, to });
  });
  byId('actor-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = byId<HTMLInputElement>('actor-input');
    const value = input.value.trim();
    if (value && !state.actors.includes(value)) setState({ actors: [...state.actors, value] });
    input.value = '';
  });
  onClick(byId('types'), '[data-type]', (el) =>
    setState({ types: toggle(state.types, el.getAttribute('data-type') ?? '') }),
  );
  onClick(byId('groups'), '[data-group]', (el) =>
    setState({ groups: toggle(state.groups, el.getAttribute('data-group') ?? '') }),
  );
  byId<HTMLSelectElement>('admin1-select').addEventListener('change', (e) => {
    const v = (e.target as HTMLSelectElement).value;
    setState({ admin1: v ? [v] : [], admin2: [] });
  });
  byId<HTMLSelectElement>('admin2-select').addEventListener('change', (e) => {
    const v = (e.target as HTMLSelectElement).value;
    setState({ admin2: v ? [v] : [] });
  });
  onClick(byId('chips'), '[data-remove]', (el) => {
    const [key, value] = JSON.parse(el.getAttribute('data-remove') ?? '[]') as [string, string];
    if (key === 'from' || key === 'to') setState({ [key]: null });
    else if (key === 'actors' || key === 'groups' || key === 'types' || key === 'admin1' || key === 'admin2')
      setState({ [key]: state[key].filter((v) => v !== value) });
  });
  onClick(byId('map'), '[data-admin2]', (el) =>
    setState({ admin2: toggle(state.admin2, el.getAttribute('data-admin2') ?? '') }),
  );
  onClick(byId('map'), '[data-event-id]', (el, e) => {
    e.stopPropagation();
    setState({ event: el.getAttribute('data-event-id') });
  });
  onClick(byId('network'), '[data-actor]', (el) =>
    setState({ actors: toggle(state.actors, el.getAttribute('data-actor') ?? '') }),
  );
  onClick(byId('trend'), '[data-key]', (el) =>
    setState({ actors: toggle(state.actors, el.getAttribute('data-key') ?? '') }),
  );
  onClick(byId('events'), '[data-event]', (el) => setState({ event: el.getAttribute('data-event') }));
  onClick(byId('site'), '[data-event]', (el) => setState({ event: el.getAttribute('data-event') }));
  onClick(byId('detail'), '[data-close]', () => setState({ event: null }));
  attachBrush(byId('timeline'), (from, to) => setState({ from, to }));
  attachSitePanel(byId('site'), {
    select: (site) => setState({ site }),
    state: () => state,
  });
  byId('claim-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void runClaim();
  });
  // Network nodes, table rows and trend rows are focusable; Enter or Space acts like a click.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const target = event.target as Element | null;
    if (!target?.matches('[data-actor], [data-event], [data-key]')) return;
    event.preventDefault();
    target.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
  window.addEventListener('popstate', () => {
    state = parseState(location.search);
    void refresh();
  });
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => void refresh(), 200);
  });
}

async function runClaim(): Promise<void> {
  const text = byId<HTMLTextAreaElement>('claim-input').value.trim();
  const target = byId('claim-result');
  if (!text) return;
  show(target, h('p', { class: 'muted' }, 'Checking…'));
  try {
    const result = await api.checkClaim(text, state);
    const tone = /^consistent|support|confirm/i.test(result.verdict)
      ? 'good'
      : /inconsistent|contra|refut/i.test(result.verdict)
        ? 'bad'
        : 'neutral';
    show(
      target,
      h('div', { class: `verdict ${tone}`, 'data-verdict': result.verdict }, result.verdict),
      result.summary ? h('p', { class: 'claim-summary' }, result.summary) : null,
      result.details.length
        ? h(
            'ul',
            { class: 'claim-details' },
            result.details.slice(0, 8).map((d) => h('li', {}, d)),
          )
        : null,
    );
  } catch (error) {
    show(target, h('p', { class: 'error' }, (error as Error).message));
  }
}

function renderChips(): void {
  const chips: [string, string, string][] = [];
  for (const a of state.actors) chips.push(['actors', a, `Actor: ${a}`]);
  for (const g of state.groups) chips.push(['groups', g, `Group: ${g}`]);
  for (const t of state.types) chips.push(['types', t, t]);
  for (const a of state.admin1) chips.push(['admin1', a, `Province: ${a}`]);
  for (const a of state.admin2) chips.push(['admin2', a, `District: ${a}`]);
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

function renderSidebar(m: api.Meta, typeCounts: Map<string, number>): void {
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
}

function renderKpis(totals: api.Totals, districts: number): void {
  const period =
    state.from || state.to
      ? `${state.from ?? meta?.first ?? '…'} → ${state.to ?? meta?.last ?? '…'}`
      : `${meta?.first ?? '…'} → ${meta?.last ?? '…'}`;
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
      { class: 'kpi' },
      h('div', { class: 'value', id: 'kpi-fatalities' }, formatCount(totals.fatalities)),
      h('div', { class: 'label' }, 'fatalities'),
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

function renderEvents(list: { events: api.EventRow[]; total: number | null }, total: number): void {
  byId('events-note').textContent =
    list.events.length < total
      ? `latest ${list.events.length} of ${formatCount(total)}`
      : `${formatCount(total)} events`;
  show(
    byId('events'),
    list.events.length === 0
      ? h('p', { class: 'muted' }, 'No events match these filters.')
      : h(
          'table',
          { class: 'events' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Date', 'Type', 'Actors', 'Where', 'Killed'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            list.events.map((e) =>
              h(
                'tr',
                { 'data-event': e.id, class: state.event === e.id ? 'on' : '', tabindex: 0 },
                h('td', { class: 'nowrap' }, e.eventDate),
                h(
                  'td',
                  {},
                  h('span', { class: 'dot', style: `background:${eventTypeColour(e.eventType)}` }),
                  e.subEventType ?? e.eventType ?? '—',
                ),
                h('td', {}, [e.actor1, e.actor2].filter(Boolean).join(' vs ') || '—'),
                h('td', {}, [e.location, e.admin2].filter(Boolean).join(', ') || '—'),
                h('td', { class: 'num' }, formatCount(e.fatalities)),
              ),
            ),
          ),
        ),
  );
}

function renderTrend(trend: Awaited<ReturnType<typeof api.fetchActorTrend>>): void {
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

/** Marks a panel failed without taking the others down. */
function failed(id: string, error: unknown): void {
  if ((error as Error).name === 'AbortError') return;
  show(byId(id), h('p', { class: 'error' }, `Could not load: ${(error as Error).message}`));
}

let metaPromise: Promise<api.Meta | null> | undefined;

/** Panels whose data the first screen needs; the page counts as drawn when these are. */
const CORE_PANELS = new Set(['kpis', 'map', 'timeline']);

async function refresh(): Promise<void> {
  const gen = ++generation;
  controller?.abort();
  controller = new AbortController();
  const signal = controller.signal;
  document.body.dataset.ready = 'false';
  document.body.dataset.core = 'false';
  renderChips();
  const current = state;
  const tasks: Promise<unknown>[] = [];
  const core: Promise<unknown>[] = [];
  const guard = <T>(p: Promise<T>, id: string, then: (v: T) => void) => {
    const panel = byId(id).closest('.panel, .kpis');
    panel?.classList.add('busy');
    const task = p
      .then(
        (v) => {
          if (gen === generation) then(v);
        },
        (e: unknown) => {
          if (gen === generation) failed(id, e);
        },
      )
      .finally(() => {
        if (gen === generation) panel?.classList.remove('busy');
      });
    tasks.push(task);
    if (CORE_PANELS.has(id)) core.push(task);
  };

  const totalsP = api.fetchTotals(current, signal);
  const districtsP = api.fetchDistricts(current, signal);
  guard(Promise.all([totalsP, districtsP]), 'kpis', ([totals, districts]) =>
    renderKpis(totals, districts.filter((d) => d.events > 0).length),
  );
  const timelineP = api.fetchTimeline(current, signal);
  guard(Promise.all([timelineP, api.fetchForecast(current, signal)]), 'timeline', ([buckets, forecast]) =>
    renderTimelinePanel(byId('timeline'), buckets, forecast, current),
  );
  guard(
    Promise.all([districtsP, totalsP, api.fetchBoundaries(), api.fetchSites(signal).catch(() => [])]).then(
      async ([d, t, b, sites]) => ({
        districts: d,
        boundaries: b,
        total: t.events,
        sites,
        points: t.events <= POINT_LIMIT ? await api.fetchPoints(current, POINT_LIMIT, signal) : [],
      }),
    ),
    'map',
    (v) => renderMapPanel(byId('map'), byId('map-note'), v, current),
  );
  if (current.event) {
    guard(
      api.fetchEvent(current.event, signal).then(async (event) => {
        const provenance = textProvenance(event);
        return {
          event,
          text: provenance ? await api.fetchDocumentText(provenance.documentId, signal) : null,
        };
      }),
      'detail',
      ({ event, text }) => renderDetail(byId('detail'), event, text),
    );
  } else {
    byId('detail').hidden = true;
  }
  // The slower questions (network, trend, lists) wait until counts, map and timeline are drawn, so
  // the store answers those first.
  for (const id of ['network', 'trend', 'events']) byId(id).closest('.panel')?.classList.add('busy');
  await Promise.allSettled(core);
  if (gen !== generation) return;
  document.body.dataset.core = 'true';
  // Store-wide facts (fetched once) and the facet counts come after the first screen: at a million
  // events they cost a second of store time the counts, map and timeline should not wait behind.
  metaPromise ??= api.fetchMeta().catch(() => null);
  void metaPromise.then((m) => {
    meta = m;
    if (!m) return;
    const period = document.getElementById('kpi-period');
    if (period) period.textContent = `${state.from ?? m.first ?? '…'} → ${state.to ?? m.last ?? '…'}`;
    show(
      byId('coverage'),
      h('span', {}, `${formatCount(m.events)} events in store`),
      m.first
        ? h('span', { class: 'sep' }, `${formatPeriod(m.first)} – ${formatPeriod(m.last ?? m.first)}`)
        : null,
    );
  });

  // Type counts ignore the type filter itself, so unselected types show what choosing them would add.
  guard(Promise.all([api.fetchTypeCounts(current, signal), metaPromise]), 'types', ([counts, m]) => {
    if (m) renderSidebar(m, counts);
  });
  guard(api.fetchActorTrend(current, signal), 'trend', renderTrend);
  guard(Promise.all([api.fetchEvents(current, 25, signal), totalsP]), 'events', ([list, totals]) =>
    renderEvents(list, totals.events),
  );
  guard(renderSitePanel(byId('site'), current, signal), 'site', () => undefined);
  guard(api.fetchNetwork(current, signal), 'network', (n) => renderNetworkPanel(byId('network'), n, current));
  await Promise.allSettled(tasks);
  if (gen === generation) document.body.dataset.ready = 'true';
}

layout();
void refresh();
