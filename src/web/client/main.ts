import { formatCount, formatDateAt } from '../svg/format.ts';
import { h } from '../svg/node.ts';
import * as api from './api.ts';
import { fetchDistrictForecast } from './district-forecast.ts';
import { byId, onClick, show } from './dom.ts';
import { renderLayout } from './layout.ts';
import { runClaim } from './panels/claim.ts';
import { renderDetail, textProvenance } from './panels/detail.ts';
import { renderEvents } from './panels/events.ts';
import { renderMapPanel } from './panels/map.ts';
import { renderNetworkPanel } from './panels/network.ts';
import { headlinePeriod, renderChips, renderKpis, renderPickers, renderTypeList } from './panels/sidebar.ts';
import { attachSitePanel, renderSitePanel } from './panels/sites.ts';
import { attachBrush, renderTimelinePanel } from './panels/timeline.ts';
import { renderTrend } from './panels/trend.ts';
import { EMPTY_STATE, parseState, stateToSearch, toggle, type ViewState } from './state.ts';

/** The dashboard: one view state (in the URL), panels that each ask the API for what they draw. */

let state: ViewState = parseState(location.search);
let generation = 0;
let controller: AbortController | null = null;

/** Single events are drawn (binned when many) up to this count; above it the map shows districts only. */
const POINT_LIMIT = 4000;

function setState(patch: Partial<ViewState>, options: { history?: 'push' | 'replace' } = {}): void {
  state = { ...state, ...patch };
  const url = `${location.pathname}${stateToSearch(state)}`;
  if (options.history === 'replace') history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void refresh();
}

function wireControls(): void {
  const top = document.querySelector('.topbar')!;
  onClick(byId('map').closest('.panel')!, '[data-map-layer]', (el) =>
    setState({ mapLayer: el.getAttribute('data-map-layer') === 'forecast' ? 'forecast' : 'observed' }),
  );
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
  byId<HTMLSelectElement>('source-select').addEventListener('change', (e) => {
    const v = (e.target as HTMLSelectElement).value;
    setState({ sources: v ? [v] : [] });
  });
  onClick(byId('chips'), '[data-remove]', (el) => {
    const [key, value] = JSON.parse(el.getAttribute('data-remove') ?? '[]') as [string, string];
    if (key === 'from' || key === 'to') setState({ [key]: null });
    else if (
      key === 'actors' ||
      key === 'groups' ||
      key === 'types' ||
      key === 'admin1' ||
      key === 'admin2' ||
      key === 'sources'
    )
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
  onClick(byId('detail'), '[data-close]', () => {
    returnFocusTo = state.event;
    setState({ event: null });
  });
  attachBrush(byId('timeline'), (from, to) => setState({ from, to }));
  attachSitePanel(byId('site'), {
    select: (site) => setState({ site }),
    radius: (radius) => setState({ radius }),
  });
  byId('claim-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void runClaim(state);
  });
  // Network nodes, table rows and trend rows are focusable; Enter or Space acts like a click.
  // Escape closes the event drawer, and focus goes back to the row that opened it.
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.event) {
      returnFocusTo = state.event;
      setState({ event: null });
      return;
    }
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const target = event.target as Element | null;
    if (!target?.matches('[data-actor], [data-event], [data-key]')) return;
    event.preventDefault();
    target.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
  onClick(document.body, '[data-retry]', () => void refresh());
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

/** Marks a panel failed without taking the others down, with a way to ask again. */
function failed(id: string, error: unknown): void {
  if ((error as Error).name === 'AbortError') return;
  const message = error instanceof TypeError ? 'the server did not answer' : (error as Error).message;
  show(
    byId(id),
    h(
      'p',
      { class: 'error', role: 'alert' },
      `Could not load: ${message} `,
      h('button', { type: 'button', class: 'small retry', 'data-retry': '1' }, 'Retry'),
    ),
  );
}

let metaPromise: Promise<api.Meta | null> | undefined;
/** The event whose row gets focus back when its drawer closes. */
let returnFocusTo: string | null = null;
/** The event whose drawer is on screen, so a refresh of the same drawer leaves focus alone. */
let drawerShows: string | null = null;

/** Panels whose data the first screen needs; the page counts as drawn when these are. */
const CORE_PANELS = new Set(['kpis', 'map', 'timeline']);

async function refresh(): Promise<void> {
  const gen = ++generation;
  controller?.abort();
  controller = new AbortController();
  const signal = controller.signal;
  document.body.dataset.ready = 'false';
  document.body.dataset.core = 'false';
  renderChips(state);
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-map-layer]'))) {
    const on = b.getAttribute('data-map-layer') === state.mapLayer;
    b.classList.toggle('on', on);
    b.setAttribute('aria-pressed', String(on));
  }
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
  // The bars come first; the forecast band (a model trained per filter, seconds on a large store)
  // is added once the first screen is drawn, so it never holds the counts, map and timeline back.
  const timelineP = api.fetchTimeline(current, signal);
  guard(Promise.all([totalsP, districtsP, timelineP]), 'kpis', ([totals, districts, timeline]) =>
    renderKpis(
      totals,
      districts.filter((d) => d.events > 0).length,
      headlinePeriod(
        current,
        timeline.months,
        timeline.yearOnly.map((y) => y.year),
      ),
    ),
  );
  guard(timelineP, 'timeline', ({ buckets, yearOnly }) =>
    renderTimelinePanel(byId('timeline'), buckets, null, current, yearOnly),
  );
  guard(
    Promise.all([districtsP, totalsP, api.fetchBoundaries(), api.fetchSites(signal).catch(() => [])]).then(
      async ([d, t, b, sites]) => ({
        districts: d,
        boundaries: b,
        total: t.events,
        sites,
        points:
          current.mapLayer === 'observed' && t.events <= POINT_LIMIT
            ? await api.fetchPoints(current, POINT_LIMIT, signal)
            : null,
        forecast: current.mapLayer === 'forecast' ? await fetchDistrictForecast(current, signal) : null,
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
          sourceDocument: provenance ? await api.fetchDocument(provenance.documentId, signal) : null,
        };
      }),
      'detail',
      ({ event, sourceDocument }) => {
        renderDetail(byId('detail'), event, sourceDocument);
        // a newly opened drawer takes focus, so a keyboard user lands in it (and Escape closes it)
        if (drawerShows !== current.event) byId('detail').querySelector<HTMLElement>('[data-close]')?.focus();
        drawerShows = current.event;
      },
    );
  } else {
    byId('detail').hidden = true;
    drawerShows = null;
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
    if (!m) return;
    show(
      byId('coverage'),
      h('span', {}, `${formatCount(m.events)} events in store`),
      m.first
        ? h(
            'span',
            { class: 'sep' },
            `${formatDateAt(m.first, m.firstPrecision)} – ${formatDateAt(m.last ?? m.first, m.last ? m.lastPrecision : m.firstPrecision)}`,
          )
        : null,
    );
  });

  // Type counts ignore the type filter itself, so unselected types show what choosing them would add.
  tasks.push(
    metaPromise.then((m) => {
      if (m && gen === generation) renderPickers(current, m);
    }),
  );
  guard(Promise.all([api.fetchTypeCounts(current, signal), metaPromise]), 'types', ([counts, m]) => {
    if (m) renderTypeList(current, m, counts);
  });
  guard(api.fetchActorTrend(current, signal), 'trend', (trend) => renderTrend(trend, current));
  guard(Promise.all([api.fetchEvents(current, 25, signal), totalsP]), 'events', ([list, totals]) => {
    renderEvents(current, list, totals.events);
    if (returnFocusTo) {
      const id = returnFocusTo;
      returnFocusTo = null;
      byId('events')
        .querySelector<HTMLElement>(`[data-event="${CSS.escape(id)}"]`)
        ?.focus();
    }
  });
  guard(renderSitePanel(byId('site'), current, signal), 'site', () => undefined);
  guard(api.fetchNetwork(current, signal), 'network', (n) => renderNetworkPanel(byId('network'), n, current));
  // Not through guard: the bars are already drawn, so the panel is not dimmed while the band trains.
  tasks.push(
    Promise.all([timelineP, api.fetchForecast(current, signal)]).then(
      ([{ buckets, yearOnly }, forecast]) => {
        if (gen === generation && forecast.events.length)
          renderTimelinePanel(byId('timeline'), buckets, forecast, current, yearOnly);
      },
      () => undefined,
    ),
  );
  await Promise.allSettled(tasks);
  if (gen === generation) document.body.dataset.ready = 'true';
}

renderLayout();
wireControls();
void refresh();
