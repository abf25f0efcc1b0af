import { type Child, type ElementNode, h } from './node.ts';
import { FONT } from './palette.ts';

/** The root `<svg>` every chart shares: sized, scalable by viewBox, labelled for screen readers. */
export function chartRoot(
  chart: { width: number; height: number; kind: string; label: string },
  ...children: Child[]
): ElementNode {
  return h(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${chart.width} ${chart.height}`,
      width: chart.width,
      height: chart.height,
      class: `sitrep-${chart.kind}`,
      role: 'img',
      'aria-label': chart.label,
      'font-family': FONT,
    },
    ...children,
  );
}
