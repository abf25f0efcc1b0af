import { h } from '../svg/node.ts';
import { byId, show } from './dom.ts';

/** The page's fixed frame: top bar, filter chips, sidebar and the empty panels the data fills. */
export function renderLayout(): void {
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
    h('div', { id: 'filter-warnings', class: 'filter-warnings', role: 'status', hidden: true }),
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
        h(
          'section',
          { class: 'block' },
          h('h3', {}, 'Source'),
          h('select', { id: 'source-select', 'aria-label': 'Source data set' }),
        ),
      ),
      h(
        'div',
        { class: 'content' },
        h(
          'section',
          { class: 'panel map-panel' },
          h(
            'header',
            {},
            h('h2', {}, 'Where'),
            h(
              'div',
              { class: 'segmented light', role: 'group', 'aria-label': 'Map layer' },
              h(
                'button',
                { type: 'button', 'data-map-layer': 'observed', 'aria-pressed': 'true' },
                'Events so far',
              ),
              h(
                'button',
                { type: 'button', 'data-map-layer': 'forecast', 'aria-pressed': 'false' },
                'Next 6 months',
              ),
            ),
            h('span', { id: 'map-note', class: 'note' }),
          ),
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
}
