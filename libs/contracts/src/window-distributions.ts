/**
 * A stored window's columns against the reference in force, as GET
 * /v1/models/:id/windows/distributions returns them and the dashboard's window page draws them.
 */

/**
 * One column of a window against the reference, counted on the reference's bins (numeric) or on
 * the categories of both (categorical), as the offline report charts them.
 */
export interface ColumnDistribution {
  column: string;
  /** The profile's role of the column: feature, prediction or score. */
  role: string;
  type: 'numeric' | 'categorical';
  /** Numeric: the reference's interior bin edges (bins = edges + 1); categorical: []. */
  edges: number[];
  /** Numeric: the smallest and largest value of both samples, when known. */
  range: [number, number] | null;
  /** Categorical: the categories in code-point order (`__other__` last); numeric: []. */
  categories: string[];
  /** Counts per bin or category; null when the reference in force has other bins than the window's. */
  reference: number[] | null;
  current: number[];
  missing: { reference: number; current: number };
}

export interface WindowDistributions {
  modelId: string;
  windowStart: string;
  windowEnd: string;
  /** The reference in force (the newest), or null when the model has none. */
  referenceName: string | null;
  columns: ColumnDistribution[];
}
