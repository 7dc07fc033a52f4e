import {
  binCounts,
  binEdges,
  categoryCounts,
  isMissing,
  parseFinite,
  type ColumnDrift,
} from '@driftline/stats';
import { binLabels, chartBars, foldCategories, type ColumnChart } from './chart.model';
import type { ColumnBuffer } from './column.buffer';
import type { DriftColumn } from './report.loader';

export { fmt, MAX_CATEGORIES, type ChartBar, type ColumnChart } from './chart.model';

function numbersOf(column: ColumnBuffer): number[] {
  if (column.isNumeric) return column.presentNumbers();
  const out: number[] = [];
  for (const v of column.values()) {
    const x = isMissing(v) ? null : parseFinite(v);
    if (x !== null) out.push(x);
  }
  return out;
}

function labelsOf(column: ColumnBuffer): string[] {
  return column.texts().filter((t): t is string => t !== null && !isMissing(t));
}

function minMax(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of values) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

function histogram(column: DriftColumn, bins: number): ColumnChart {
  const reference = numbersOf(column.reference);
  const current = numbersOf(column.current);
  const edges = binEdges(reference, bins);
  const [rlo, rhi] = minMax(reference);
  const [clo, chi] = minMax(current);
  const range: [number, number] = [Math.min(rlo, clo), Math.max(rhi, chi)];
  return {
    column: column.name,
    kind: 'histogram',
    bars: chartBars(binLabels(edges, range), binCounts(reference, edges), binCounts(current, edges)),
    edges,
    range,
  };
}

function categories(column: DriftColumn): ColumnChart {
  const counts = categoryCounts(labelsOf(column.reference), labelsOf(column.current));
  const all = foldCategories(chartBars(counts.categories, counts.reference, counts.current));
  return { column: column.name, kind: 'categories', bars: all, edges: [] };
}

/** The chart of one tested column, by the type libs/stats tested it as. */
export function columnChart(column: DriftColumn, result: ColumnDrift, bins: number): ColumnChart {
  return result.type === 'numeric' ? histogram(column, bins) : categories(column);
}
