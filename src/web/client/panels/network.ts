import { formatPeriod } from '../../svg/format.ts';
import { renderNetwork } from '../../svg/network.ts';
import { h } from '../../svg/node.ts';
import type { NetworkData } from '../api.ts';
import { show } from '../dom.ts';
import type { ViewState } from '../state.ts';

export function renderNetworkPanel(target: HTMLElement, data: NetworkData, state: ViewState): void {
  const width = Math.max(320, target.clientWidth);
  const draw = (height: number) =>
    show(
      target,
      renderNetwork({
        width,
        height,
        nodes: data.nodes,
        edges: data.edges,
        selected: state.actors,
        labels: 12,
      }),
      relationList(data),
    );
  const height = Math.round(Math.max(340, Math.min(560, width * 0.9)));
  draw(height);
  // Beside the taller map the grid row leaves room under the graph (80 px at 1440 px wide): the graph
  // grows into it, drawn at the panel's own shape rather than stretched. (Stacked on a phone, none is left.)
  const svg = target.querySelector('svg');
  const room = roomUnder(target);
  if (svg && room > 4) draw(Math.min(MAX_HEIGHT, height + Math.floor((room * width) / svg.clientWidth)));
}

/** The tallest the graph is drawn, however tall the row beside it. */
const MAX_HEIGHT = 900;

/** Height of the chart box below its last child (the flex panel stretches the box, not the content). */
function roomUnder(target: HTMLElement): number {
  const last = target.lastElementChild;
  if (!last) return 0;
  return Math.floor(target.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom);
}

/** Mergers and collaborations have no shared events to draw: listed under the graph, dated, the text on hover. */
function relationList(data: NetworkData) {
  if (!data.relations.length) return null;
  return h(
    'ul',
    { class: 'relations', id: 'network-relations' },
    data.relations
      .slice(0, 6)
      .map((r) =>
        h(
          'li',
          r.evidence ? { title: r.evidence } : {},
          h(
            'span',
            { class: 'muted' },
            `${r.date ? formatPeriod(r.date.slice(0, 7)) : 'undated'} · ${r.kind} · `,
          ),
          `${r.source} ${r.kind === 'merger' ? '→' : '—'} ${r.target}`,
        ),
      ),
  );
}
