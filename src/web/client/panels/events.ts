import { placeLine } from '../../../schema/place-name.ts';
import { formatCount, formatEventDate } from '../../svg/format.ts';
import { h } from '../../svg/node.ts';
import { eventTypeColour } from '../../svg/palette.ts';
import type * as api from '../api.ts';
import { byId, show } from '../dom.ts';
import type { ViewState } from '../state.ts';

/** The newest events under the filters; a row opens the detail drawer. */
export function renderEvents(
  state: ViewState,
  list: { events: api.EventRow[]; total: number | null; warnings?: string[] },
  total: number,
): void {
  // a misspelt actor otherwise reads as "no events"
  const warnings = byId('filter-warnings');
  warnings.hidden = !list.warnings?.length;
  warnings.textContent = list.warnings?.join(' · ') ?? '';
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
                h(
                  'td',
                  { class: 'nowrap', title: e.eventDate },
                  formatEventDate(e.eventDate, e.timePrecision),
                ),
                h(
                  'td',
                  {},
                  h('span', { class: 'dot', style: `background:${eventTypeColour(e.eventType)}` }),
                  e.subEventType ?? e.eventType ?? '—',
                ),
                h('td', {}, [e.actor1, e.actor2].filter(Boolean).join(' vs ') || '—'),
                h('td', {}, placeLine([e.location, e.admin2]) || '—'),
                h(
                  'td',
                  { class: 'num', ...(e.fatalities === null ? { title: 'the source gives no toll' } : {}) },
                  e.fatalities === null ? '—' : formatCount(e.fatalities),
                ),
              ),
            ),
          ),
        ),
  );
}
