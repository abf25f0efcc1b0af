import {
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type SimulationNodeDatum,
} from 'd3-force';
import { chartRoot } from './chart.ts';
import { countNoun } from './format.ts';
import { type ElementNode, h } from './node.ts';
import { actorKindColour, INK, MUTED } from './palette.ts';

export interface NetworkNode {
  id: string;
  name: string;
  events: number;
  kind?: string | null;
}

/** Two actors on either side of (or together in) events, with when they met first and last. */
export interface NetworkEdge {
  source: string;
  target: string;
  events: number;
  first?: string | null;
  last?: string | null;
}

export interface NetworkInput {
  width: number;
  height: number;
  nodes: readonly NetworkNode[];
  edges: readonly NetworkEdge[];
  /** Actor names or ids to highlight (e.g. the actor filter). */
  selected?: readonly string[];
  /** Label at most this many nodes, largest first (default 18). */
  labels?: number;
  title?: string;
}

interface Positioned extends SimulationNodeDatum {
  node: NetworkNode;
  r: number;
}

/**
 * A force-directed actor network laid out synchronously (deterministic: d3-force seeds its own
 * random source), so the browser and the report draw the same picture for the same data.
 */
export function renderNetwork(input: NetworkInput): ElementNode {
  const { width, height } = input;
  const maxEvents = Math.max(1, ...input.nodes.map((n) => n.events));
  const nodes: Positioned[] = input.nodes.map((node) => ({
    node,
    r: 4 + 16 * Math.sqrt(node.events / maxEvents),
  }));
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const links = input.edges
    .filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target)
    .map((e) => ({ source: byId.get(e.source)!, target: byId.get(e.target)!, edge: e }));
  const maxEdge = Math.max(1, ...links.map((l) => l.edge.events));
  const degree = new Map<Positioned, number>();
  for (const l of links) {
    degree.set(l.source, (degree.get(l.source) ?? 0) + 1);
    degree.set(l.target, (degree.get(l.target) ?? 0) + 1);
  }
  // Loosely tied actors are pulled in harder, so a few outliers do not shrink the core when fitted.
  const pull = (n: Positioned) => ((degree.get(n) ?? 0) <= 1 ? 0.2 : 0.04);

  const simulation = forceSimulation(nodes)
    .force(
      'link',
      forceLink(links)
        .distance((l) => 70 + 60 * (1 - l.edge.events / maxEdge))
        .strength(0.25),
    )
    .force('charge', forceManyBody().strength(-380).distanceMax(320))
    .force('x', forceX<Positioned>(width / 2).strength(pull))
    .force(
      'y',
      forceY<Positioned>(height / 2).strength((n) => pull(n) * 1.4),
    )
    .force(
      'collide',
      forceCollide<Positioned>((d) => d.r + 14),
    )
    .stop();
  for (let i = 0; i < 300; i++) simulation.tick();

  // Fit the laid-out graph into the box, leaving room for labels.
  const pad = 28;
  const xs = nodes.map((n) => n.x ?? 0);
  const ys = nodes.map((n) => n.y ?? 0);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min(
    3,
    (width - 2 * pad - 60) / Math.max(1, maxX - minX),
    (height - 2 * pad) / Math.max(1, maxY - minY),
  );
  const px = (n: Positioned) => width / 2 + ((n.x ?? 0) - (minX + maxX) / 2) * scale;
  const py = (n: Positioned) => height / 2 + ((n.y ?? 0) - (minY + maxY) / 2) * scale;

  const selected = new Set(input.selected ?? []);
  const isSelected = (n: NetworkNode) => selected.has(n.id) || selected.has(n.name);
  const hasSelection = nodes.some((n) => isSelected(n.node));
  const touchesSelection = (l: (typeof links)[number]) =>
    isSelected(l.source.node) || isSelected(l.target.node);
  const neighbours = new Set<string>();
  for (const l of links)
    if (touchesSelection(l)) {
      neighbours.add(l.source.node.id);
      neighbours.add(l.target.node.id);
    }

  const edgeNodes = links.map((l) =>
    h(
      'line',
      {
        class: 'edge',
        x1: px(l.source).toFixed(1),
        y1: py(l.source).toFixed(1),
        x2: px(l.target).toFixed(1),
        y2: py(l.target).toFixed(1),
        stroke: hasSelection && touchesSelection(l) ? '#1d4ed8' : '#9ca3af',
        'stroke-opacity': hasSelection && !touchesSelection(l) ? 0.18 : 0.6,
        'stroke-width': (0.8 + 5 * Math.sqrt(l.edge.events / maxEdge)).toFixed(2),
      },
      h(
        'title',
        {},
        `${l.source.node.name} — ${l.target.node.name}: ${countNoun(l.edge.events, 'event')}${
          l.edge.first
            ? `, ${l.edge.first}${l.edge.last && l.edge.last !== l.edge.first ? ` to ${l.edge.last}` : ''}`
            : ''
        }`,
      ),
    ),
  );

  const labelCount = input.labels ?? 18;
  const wanted = [...nodes]
    .sort((a, b) => Number(isSelected(b.node)) - Number(isSelected(a.node)) || b.node.events - a.node.events)
    .filter((n, i) => i < labelCount || isSelected(n.node) || (hasSelection && neighbours.has(n.node.id)));
  const placements = placeLabels(
    wanted.map((n) => ({
      id: n.node.id,
      x: px(n),
      y: py(n),
      r: n.r,
      text: truncate(n.node.name, 34),
      bold: isSelected(n.node),
    })),
    nodes.map((n) => ({ x: px(n), y: py(n), r: n.r })),
    width,
    height,
  );
  const nodeNodes = [...nodes]
    .sort((a, b) => a.node.events - b.node.events)
    .map((n) => {
      const dim = hasSelection && !isSelected(n.node) && !neighbours.has(n.node.id);
      const x = px(n);
      return h(
        'g',
        {
          class: isSelected(n.node) ? 'node selected' : 'node',
          transform: `translate(${x.toFixed(1)},${py(n).toFixed(1)})`,
          'data-actor': n.node.name,
          'data-actor-id': n.node.id,
          opacity: dim ? 0.35 : 1,
          tabindex: 0,
          role: 'button',
          'aria-label': `${n.node.name}: ${countNoun(n.node.events, 'event')}`,
        },
        h('circle', {
          r: n.r.toFixed(1),
          fill: actorKindColour(n.node.kind, n.node.name),
          stroke: isSelected(n.node) ? INK : '#ffffff',
          'stroke-width': isSelected(n.node) ? 2.5 : 1.2,
        }),
        h(
          'title',
          {},
          `${n.node.name}${n.node.kind ? ` (${n.node.kind})` : ''}: ${countNoun(n.node.events, 'event')}`,
        ),
      );
    });

  return chartRoot(
    { width, height, kind: 'network', label: input.title ?? 'Actor network' },
    nodes.length === 0
      ? h(
          'text',
          { x: width / 2, y: height / 2, 'text-anchor': 'middle', fill: MUTED, 'font-size': 12 },
          'No actors for these filters',
        )
      : null,
    h('g', { class: 'edges' }, edgeNodes),
    h('g', { class: 'nodes' }, nodeNodes),
    // Labels on their own layer above every circle, so no node hides another's name.
    h(
      'g',
      { class: 'node-labels', 'pointer-events': 'none' },
      nodes.map((n) => {
        const place = placements.get(n.node.id);
        if (!place) return null;
        const dim = hasSelection && !isSelected(n.node) && !neighbours.has(n.node.id);
        return h(
          'text',
          {
            x: (px(n) + place.dx).toFixed(1),
            y: (py(n) + place.dy).toFixed(1),
            'text-anchor': place.anchor,
            'font-size': LABEL_SIZE,
            'font-weight': isSelected(n.node) ? 700 : 500,
            fill: INK,
            opacity: dim ? 0.45 : 1,
            stroke: '#ffffff',
            'stroke-width': HALO,
            'paint-order': 'stroke',
          },
          truncate(n.node.name, 34),
        );
      }),
    ),
  );
}

interface LabelWish {
  id: string;
  x: number;
  y: number;
  r: number;
  text: string;
  /** Drawn bold (a selected actor): about a tenth wider. */
  bold: boolean;
}

type Box = [number, number, number, number];
const overlaps = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
const overlapArea = (a: Box, b: Box) =>
  Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) *
  Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

/** Advance widths of Arial / Liberation Sans (the dashboard's and the brief's fallback font), in em/1000. */
const ARIAL_WIDTHS =
  '278,278,355,556,556,889,667,191,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,278,278,584,584,584,556,1015,667,667,722,722,667,611,778,722,278,500,667,556,833,722,778,667,778,722,667,611,722,667,944,667,667,611,278,278,278,469,556,333,556,556,500,556,556,278,556,556,222,222,500,222,833,556,556,556,556,333,500,278,556,500,722,500,500,500,334,260,334,584'
    .split(',')
    .map(Number);

/**
 * The width a label takes at `size` px: Arial's advance widths (0.6 em for a character outside
 * ASCII), which the page's first choices (Inter, Segoe UI) run close to. A flat 5.7 px a character
 * over-measured long names by 15 % and dropped labels that fit.
 */
export function labelWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += ARIAL_WIDTHS[(ch.codePointAt(0) ?? 0) - 32] ?? 600;
  return (units / 1000) * size;
}

/** Font size of the node labels, and the white halo drawn around each (stroke width). */
const LABEL_SIZE = 10.5;
const HALO = 3;
/** Clear space kept between two labels, beyond their halos, so names never run into each other. */
const LABEL_GAP = 3;

/**
 * Greedy label placement: biggest nodes first, each label tries eight spots around its node (right,
 * left, above, below, then the four corners) and takes the first that stays in the box and touches
 * neither a label already placed (with a gap) nor another node. The six most important nodes keep a
 * label anyway when no spot is free: the spot that covers least of other nodes, never over a label.
 */
function placeLabels(
  wishes: readonly LabelWish[],
  circles: readonly { x: number; y: number; r: number }[],
  width: number,
  height: number,
): Map<string, { dx: number; dy: number; anchor: 'start' | 'end' | 'middle' }> {
  const placed: Box[] = [];
  const out = new Map<string, { dx: number; dy: number; anchor: 'start' | 'end' | 'middle' }>();
  // Glyphs of a 10.5 px font sit from ~8 px above the baseline to ~2.5 px below it; the halo adds to both.
  const ascent = 0.78 * LABEL_SIZE + HALO / 2;
  const descent = 0.24 * LABEL_SIZE + HALO / 2;
  for (const [i, w] of wishes.entries()) {
    const tw = labelWidth(w.text, LABEL_SIZE) * (w.bold ? 1.1 : 1) + HALO;
    const side = w.r + 4;
    const diagonal = w.r * Math.SQRT1_2 + 3;
    const spot = (dx: number, dy: number, anchor: 'start' | 'end' | 'middle') => {
      const left =
        anchor === 'start' ? w.x + dx - HALO / 2 : anchor === 'end' ? w.x + dx - tw + HALO / 2 : w.x - tw / 2;
      const box: Box = [left, w.y + dy - ascent, left + tw, w.y + dy + descent];
      return { dx, dy, anchor, box };
    };
    const options = [
      spot(side, 3.5, 'start'),
      spot(-side, 3.5, 'end'),
      spot(0, -(w.r + 4) - descent, 'middle'),
      spot(0, w.r + 4 + ascent, 'middle'),
      spot(diagonal, -diagonal - descent + 2, 'start'),
      spot(diagonal, diagonal + ascent - 2, 'start'),
      spot(-diagonal, -diagonal - descent + 2, 'end'),
      spot(-diagonal, diagonal + ascent - 2, 'end'),
    ];
    const inBounds = (o: (typeof options)[number]) =>
      o.box[0] >= 0 && o.box[2] <= width && o.box[1] >= 0 && o.box[3] <= height;
    const clearOfLabels = (o: (typeof options)[number]) => {
      const [x0, y0, x1, y1] = o.box;
      const padded: Box = [x0 - LABEL_GAP, y0 - LABEL_GAP / 2, x1 + LABEL_GAP, y1 + LABEL_GAP / 2];
      return !placed.some((p) => overlaps(p, padded));
    };
    const covered = (o: (typeof options)[number]) =>
      circles.reduce(
        (sum, c) =>
          c.x === w.x && c.y === w.y
            ? sum
            : sum + overlapArea([c.x - c.r, c.y - c.r, c.x + c.r, c.y + c.r], o.box),
        0,
      );
    const free = options.filter((o) => inBounds(o) && clearOfLabels(o));
    const chosen =
      free.find((o) => covered(o) === 0) ??
      (i < 6 && free.length ? free.reduce((a, b) => (covered(b) < covered(a) ? b : a)) : undefined);
    if (!chosen) continue;
    placed.push(chosen.box);
    out.set(w.id, { dx: chosen.dx, dy: chosen.dy, anchor: chosen.anchor });
  }
  return out;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
