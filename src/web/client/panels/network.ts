import { renderNetwork } from '../../svg/network.ts';
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
  );
}
