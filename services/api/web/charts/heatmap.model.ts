import type { ColumnDriftResult, WindowResult } from '../api.types';

export interface HeatCell {
  feature: string;
  windowStart: string;
  windowEnd: string;
  /** The column's result in the window; null when the window did not test it. */
  result: ColumnDriftResult | null;
  /** How far the column is from its threshold: 1 at the threshold, 0 far from it, 2 at most. */
  severity: number | null;
}

export interface Heatmap {
  features: string[];
  windows: { windowStart: string; windowEnd: string }[];
  /** One row per feature, one cell per window. */
  rows: HeatCell[][];
}

const MAX_SEVERITY = 2;

/**
 * 1 at the drift threshold: a test's p-value on a log scale (p = threshold → 1, p = threshold² → 2),
 * a distance's statistic over its threshold.
 */
export function severityOf(c: ColumnDriftResult): number | null {
  let s: number | null = null;
  if (c.pValue !== null) {
    const threshold = Math.min(Math.max(c.threshold, 1e-12), 1 - 1e-12);
    s = c.pValue <= 0 ? MAX_SEVERITY : Math.log(c.pValue) / Math.log(threshold);
  } else if (c.statistic !== null && c.threshold > 0) {
    s = c.statistic / c.threshold;
  }
  return s === null || !Number.isFinite(s) ? null : Math.min(MAX_SEVERITY, Math.max(0, s));
}

/** Features × windows of the windows' drift results (the prediction and score columns after the features). */
export function heatmapOf(windows: readonly WindowResult[]): Heatmap {
  const features: string[] = [];
  const seen = new Set<string>();
  const columnsOf = (w: WindowResult) => [...w.drift.columns, ...(w.drift.predictionDrift ?? [])];
  for (const w of windows)
    for (const c of columnsOf(w))
      if (!seen.has(c.column)) {
        seen.add(c.column);
        features.push(c.column);
      }
  const byWindow = windows.map((w) => new Map(columnsOf(w).map((c) => [c.column, c])));
  const rows = features.map((feature) =>
    windows.map((w, i) => {
      const result = byWindow[i].get(feature) ?? null;
      return {
        feature,
        windowStart: w.windowStart,
        windowEnd: w.windowEnd,
        result,
        severity: result === null ? null : severityOf(result),
      };
    }),
  );
  return {
    features,
    windows: windows.map((w) => ({ windowStart: w.windowStart, windowEnd: w.windowEnd })),
    rows,
  };
}

/** The cell's colour: pale far below the threshold, amber at it, deep red beyond. */
export function severityColour(severity: number | null): string {
  if (severity === null) return '#f1f3f5';
  const mix = (a: number[], b: number[], t: number) => a.map((x, i) => Math.round(x + (b[i] - x) * t));
  const [pale, amber, red] = [
    [232, 240, 248],
    [247, 184, 75],
    [180, 35, 24],
  ];
  const rgb = severity <= 1 ? mix(pale, amber, severity ** 1.5) : mix(amber, red, severity - 1);
  return `rgb(${rgb.join(',')})`;
}
