import type { Panel } from './panel.ts';
import { trailingMean } from './smoothed-level.ts';

/**
 * The naive forecasts every model must beat (ViEWS found they beat many published models): nothing
 * happens, last month repeats, the last year's monthly mean. For interval coverage and CRPS each is
 * given the simplest count distribution with that mean (Poisson; a point mass at 0 for `zero`).
 */
export const BASELINES = {
  zero: () => 0,
  last_month: (series: readonly number[], t: number) => series[t] ?? 0,
  mean_12: (series: readonly number[], t: number) => trailingMean(series, t, 12),
} satisfies Record<string, (series: readonly number[], t: number) => number>;

export type BaselineName = keyof typeof BASELINES;
export const BASELINE_NAMES = Object.keys(BASELINES) as BaselineName[];

/** A baseline's expected count for unit u at origin t (the same for every horizon). */
export function baselineMean(
  panel: Panel,
  target: 'events' | 'fatalities',
  name: BaselineName,
  u: number,
  t: number,
) {
  return BASELINES[name](panel[target][u]!, t);
}
