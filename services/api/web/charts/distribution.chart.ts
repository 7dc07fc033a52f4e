import { binLabels, chartBars, foldCategories, type ColumnChart } from '../../../../cli/src/chart.model';
import type { ColumnDistribution } from '../api.types';

/**
 * The offline report's chart of a column (reference against current shares on the reference bins
 * or the categories), from the counts the API keeps of a window. With no comparable reference (it
 * was replaced since the window), the reference bars are empty.
 */
export function distributionChart(d: ColumnDistribution): ColumnChart | null {
  const reference = d.reference ?? d.current.map(() => 0);
  if (d.type === 'numeric') {
    const bars = chartBars(binLabels(d.edges, d.range), reference, d.current);
    return {
      column: d.column,
      kind: 'histogram',
      bars,
      edges: d.edges,
      ...(d.range ? { range: d.range } : {}),
    };
  }
  if (d.categories.length === 0) return null;
  return {
    column: d.column,
    kind: 'categories',
    bars: foldCategories(chartBars(d.categories, reference, d.current)),
    edges: [],
  };
}
