import { formatPeriod } from '../../svg/format.ts';
import { renderNetwork } from '../../svg/network.ts';
import { h } from '../../svg/node.ts';
import type { NetworkData } from '../api.ts';
import { show } from '../dom.ts';
import type { ViewState } from '../state.ts';

export function renderNetworkPanel(target: HTMLElement, data: NetworkData, state: ViewState): void {
  const width = Math.max(320, target.clientWidth);
  const height = Math.round(Math.max(340, Math.min(560, width * 0.9)));
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
