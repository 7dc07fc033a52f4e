import {
  binCounts,
  binEdges,
  categoryCounts,
  isMissing,
  parseFinite,
  type ColumnDrift,
} from '@driftline/stats';
import type { ColumnBuffer } from './column.buffer';
import type { DriftColumn } from './report.loader';

/** One group of the chart: the share (and count) of each sample in a bin or category. */
export interface ChartBar {
  label: string;
  reference: number;
  current: number;
  referenceCount: number;
  currentCount: number;
}

/**
 * What a column's chart shows: for a numeric column the reference bins (edges are the boundaries
 * between bars, `range` the smallest and largest value of both samples), for a categorical column
 * the categories in code-point order, the rarest folded into one bar beyond `MAX_CATEGORIES`.
 */
export interface ColumnChart {
  column: string;
  kind: 'histogram' | 'categories';
  bars: ChartBar[];
  edges: number[];
  range?: [number, number];
}

export const MAX_CATEGORIES = 20;

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

function bars(labels: string[], reference: number[], current: number[]): ChartBar[] {
  const n = reference.reduce((a, b) => a + b, 0);
  const m = current.reduce((a, b) => a + b, 0);
  return labels.map((label, i) => ({
    label,
    reference: reference[i] / n,
    current: current[i] / m,
    referenceCount: reference[i],
    currentCount: current[i],
  }));
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
  const bounds = [range[0], ...edges, range[1]];
  const labels = bounds
    .slice(1)
    .map((hi, i) => (i === 0 ? `≤ ${fmt(hi)}` : `(${fmt(bounds[i])}, ${fmt(hi)}]`));
  if (edges.length > 0) labels[labels.length - 1] = `> ${fmt(edges[edges.length - 1])}`;
  return {
    column: column.name,
    kind: 'histogram',
    bars: bars(labels, binCounts(reference, edges), binCounts(current, edges)),
    edges,
    range,
  };
}

function categories(column: DriftColumn): ColumnChart {
  const counts = categoryCounts(labelsOf(column.reference), labelsOf(column.current));
  let all = bars(counts.categories, counts.reference, counts.current);
  if (all.length > MAX_CATEGORIES) {
    const weight = (b: ChartBar) => Math.max(b.reference, b.current);
    const kept = new Set([...all].sort((a, b) => weight(b) - weight(a)).slice(0, MAX_CATEGORIES - 1));
    const rest = all.filter((b) => !kept.has(b));
    const sum = (f: (b: ChartBar) => number) => rest.reduce((s, b) => s + f(b), 0);
    all = all.filter((b) => kept.has(b));
    all.push({
      label: `${rest.length} others`,
      reference: sum((b) => b.reference),
      current: sum((b) => b.current),
      referenceCount: sum((b) => b.referenceCount),
      currentCount: sum((b) => b.currentCount),
    });
  }
  return { column: column.name, kind: 'categories', bars: all, edges: [] };
}

/** The chart of one tested column, by the type libs/stats tested it as. */
export function columnChart(column: DriftColumn, result: ColumnDrift, bins: number): ColumnChart {
  return result.type === 'numeric' ? histogram(column, bins) : categories(column);
}

/** A number in at most 4 significant digits, for labels. */
export function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}
