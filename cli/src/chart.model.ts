/**
 * What a reference-against-current bar chart shows, with no I/O and no statistics library: shared
 * by the offline HTML report and the dashboard's window page (bundled for the browser).
 */

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

/** A number in at most 4 significant digits, for labels. */
export function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** Bars from counts per label: each sample's share of its own total (0 for an empty sample). */
export function chartBars(labels: string[], reference: number[], current: number[]): ChartBar[] {
  const n = reference.reduce((a, b) => a + b, 0);
  const m = current.reduce((a, b) => a + b, 0);
  return labels.map((label, i) => ({
    label,
    reference: n === 0 ? 0 : reference[i] / n,
    current: m === 0 ? 0 : current[i] / m,
    referenceCount: reference[i],
    currentCount: current[i],
  }));
}

/** The label of each bin between the interior `edges`: `≤ e0`, `(e0, e1]`, ..., `> eLast`. */
export function binLabels(edges: readonly number[], range: [number, number] | null): string[] {
  if (edges.length === 0) return [range === null ? 'all values' : `≤ ${fmt(range[1])}`];
  return [
    `≤ ${fmt(edges[0])}`,
    ...edges.slice(1).map((hi, i) => `(${fmt(edges[i])}, ${fmt(hi)}]`),
    `> ${fmt(edges[edges.length - 1])}`,
  ];
}

/** Beyond `MAX_CATEGORIES` bars, the rarest (by the larger of both shares) fold into one bar. */
export function foldCategories(all: ChartBar[]): ChartBar[] {
  if (all.length <= MAX_CATEGORIES) return all;
  const weight = (b: ChartBar) => Math.max(b.reference, b.current);
  const kept = new Set([...all].sort((a, b) => weight(b) - weight(a)).slice(0, MAX_CATEGORIES - 1));
  const rest = all.filter((b) => !kept.has(b));
  const sum = (f: (b: ChartBar) => number) => rest.reduce((s, b) => s + f(b), 0);
  return [
    ...all.filter((b) => kept.has(b)),
    {
      label: `${rest.length} others`,
      reference: sum((b) => b.reference),
      current: sum((b) => b.current),
      referenceCount: sum((b) => b.referenceCount),
      currentCount: sum((b) => b.currentCount),
    },
  ];
}
