import { formatCount } from '../../svg/format.ts';
import { h } from '../../svg/node.ts';
import { eventTypeColour } from '../../svg/palette.ts';
import * as api from '../api.ts';
import { show } from '../dom.ts';
import { EMPTY_STATE, SITE_RADII, type SiteRadius, type ViewState } from '../state.ts';

const LEVEL_CLASS: Record<string, string> = { low: 'good', elevated: 'neutral', high: 'bad', severe: 'bad' };

/** Builds the site panel's fixed parts (picker, add form) once and wires them. */
export function attachSitePanel(
  target: HTMLElement,
  hooks: { select: (siteId: string | null) => void; radius: (km: SiteRadius) => void },
): void {
  show(
    target,
    h(
      'div',
      { class: 'row' },
      h('select', { id: 'site-select', 'aria-label': 'Site' }),
      h(
        'select',
        { id: 'site-radius', 'aria-label': 'Radius' },
        SITE_RADII.map((r) => h('option', { value: r }, `${r} km`)),
      ),
    ),
    h('div', { id: 'site-body' }),
    h(
      'details',
      { class: 'add-site' },
      h('summary', {}, 'Add a site'),
      h(
        'form',
        { id: 'site-form', class: 'grid-form' },
        h('input', {
          id: 'site-name',
          required: true,
          placeholder: 'Name, e.g. Reko Diq mine',
          maxlength: 200,
        }),
        h('input', { id: 'site-lat', required: true, placeholder: 'Latitude', inputmode: 'decimal' }),
        h('input', { id: 'site-lon', required: true, placeholder: 'Longitude', inputmode: 'decimal' }),
        h(
          'select',
          { id: 'site-kind', 'aria-label': 'Kind' },
          ['mine', 'port', 'rail', 'road', 'pipeline', 'airport', 'base', 'city', 'border', 'other'].map(
            (k) => h('option', { value: k }, k),
          ),
        ),
        h('input', { id: 'site-token', type: 'password', placeholder: 'Write token', autocomplete: 'off' }),
        h('button', { type: 'submit' }, 'Add site'),
        h('p', { id: 'site-form-result', class: 'muted', 'aria-live': 'polite' }),
      ),
    ),
  );
  const select = target.querySelector<HTMLSelectElement>('#site-select')!;
  select.addEventListener('change', () => hooks.select(select.value || null));
  const radius = target.querySelector<HTMLSelectElement>('#site-radius')!;
  radius.addEventListener('change', () =>
    hooks.radius(SITE_RADII.find((r) => String(r) === radius.value) ?? EMPTY_STATE.radius),
  );
  target.querySelector<HTMLFormElement>('#site-form')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = (id: string) => target.querySelector<HTMLInputElement>(`#${id}`)!.value.trim();
    const result = target.querySelector('#site-form-result')!;
    const lat = Number(value('site-lat'));
    const lon = Number(value('site-lon'));
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      result.textContent = 'Latitude and longitude must be numbers in degrees.';
      return;
    }
    result.textContent = 'Saving…';
    api
      .addSite({ name: value('site-name'), kind: value('site-kind') || null, lat, lon }, value('site-token'))
      .then((site) => {
        result.textContent = `Added ${site.name}.`;
        for (const id of ['site-name', 'site-lat', 'site-lon'])
          target.querySelector<HTMLInputElement>(`#${id}`)!.value = '';
        target.querySelector<HTMLDetailsElement>('details.add-site')!.open = false;
        hooks.select(site.id);
      })
      .catch((error: unknown) => {
        const status = error instanceof api.ApiError ? error.status : 0;
        result.textContent =
          status === 401 || status === 403
            ? 'Not allowed: the write token is missing or wrong.'
            : `Could not add: ${(error as Error).message}`;
      });
  });
}

/** Refreshes the site list and, for the chosen site, its exposure and risk score. */
export async function renderSitePanel(
  target: HTMLElement,
  state: ViewState,
  signal: AbortSignal,
): Promise<void> {
  const select = target.querySelector<HTMLSelectElement>('#site-select');
  const body = target.querySelector<HTMLElement>('#site-body');
  if (!select || !body) return;
  const radiusSelect = target.querySelector<HTMLSelectElement>('#site-radius');
  if (radiusSelect) radiusSelect.value = String(state.radius);
  const listed = await api.fetchSites(signal).catch(() => null);
  const sites = listed ?? [];
  show(
    select,
    h('option', { value: '' }, sites.length ? 'Choose a site…' : 'No sites yet — add one below'),
    sites.map((s) =>
      h('option', { value: s.id, selected: s.id === state.site }, `${s.name}${s.kind ? ` (${s.kind})` : ''}`),
    ),
  );
  if (!state.site) {
    show(body, h('p', { class: 'muted' }, 'Pick a site to see the events around it and its risk score.'));
    return;
  }
  // a link naming a site this store lacks (or a typo in the URL) keeps the picker and the add form
  if (listed && !listed.some((s) => s.id === state.site)) {
    show(
      body,
      h(
        'p',
        { class: 'muted', id: 'site-missing' },
        `No site "${state.site}" in this store: pick one above or add it below.`,
      ),
    );
    return;
  }
  const radius = state.radius;
  let x: api.ExposureData;
  let wider: api.ExposureData | null;
  try {
    x = await api.fetchExposure(state.site, radius, state, signal);
    // Nothing in range reads as a broken panel: say how far the nearest recent event is.
    wider = x.events === 0 ? await api.fetchExposure(state.site, 1000, state, signal) : null;
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    show(body, h('p', { class: 'error' }, `Could not load the exposure: ${(error as Error).message}`));
    return;
  }
  const maxYear = Math.max(1, ...x.byYear.map((y) => y.events));
  show(
    body,
    h(
      'div',
      { class: 'risk' },
      h(
        'div',
        { class: `score ${LEVEL_CLASS[x.risk.level] ?? 'neutral'}`, id: 'site-score' },
        String(Math.round(x.risk.score)),
      ),
      h(
        'div',
        {},
        h('div', { class: 'level' }, `${x.risk.level || 'unrated'} risk`),
        h(
          'div',
          { class: 'muted' },
          `${formatCount(x.events)} events, ${formatCount(x.fatalities)} fatalities within ${x.radiusKm} km`,
        ),
      ),
    ),
    h(
      'div',
      { class: 'parts' },
      x.risk.parts.map((p) =>
        h(
          'div',
          { class: 'part', title: p.why },
          h('span', { class: 'name' }, p.name),
          h(
            'span',
            { class: 'track' },
            h('span', {
              class: 'fill',
              style: `width:${Math.round((p.points / Math.max(1, p.weight)) * 100)}%`,
            }),
          ),
          h('span', { class: 'pts' }, `${Math.round(p.points)}/${p.weight}`),
        ),
      ),
    ),
    wider ? h('p', { class: 'muted', id: 'site-nearest' }, nearestNote(radius, wider)) : null,
    x.byYear.length
      ? h(
          'div',
          { class: 'years' },
          x.byYear.map((y) =>
            h(
              'div',
              { class: 'year', title: `${y.year}: ${y.events} events, ${y.fatalities} fatalities` },
              h('span', { class: 'bar', style: `height:${Math.round((y.events / maxYear) * 48) + 1}px` }),
              h('span', { class: 'lbl' }, String(y.year).slice(2)),
            ),
          ),
        )
      : null,
    x.nearest.length
      ? h(
          'ul',
          { class: 'nearest' },
          x.nearest
            .slice(0, 5)
            .map((e) =>
              h(
                'li',
                { 'data-event': e.id, tabindex: 0 },
                h('span', { class: 'dot', style: `background:${eventTypeColour(e.eventType)}` }),
                `${e.date} · ${e.location ?? e.eventType ?? 'event'} · ${e.distanceKm.toFixed(0)} km${e.fatalities ? ` · ${e.fatalities} killed` : ''}`,
              ),
            ),
        )
      : null,
  );
}

/** The line shown when no event lies within the chosen radius. */
function nearestNote(radius: number, wider: api.ExposureData): string {
  const nearest = wider.nearest[0];
  if (nearest)
    return `No events within ${radius} km. The nearest recent one is ${nearest.distanceKm.toFixed(0)} km away (${nearest.date}${nearest.location ? `, ${nearest.location}` : ''}).`;
  if (wider.events > 0)
    return `No events within ${radius} km; ${formatCount(wider.events)} within 1,000 km, none recent.`;
  return `No events within ${radius} km, nor within 1,000 km: check the site's coordinates and the filters.`;
}
