import type { ColumnDistribution } from '@driftline/contracts';
import {
  compareCodePoints,
  OTHER_CATEGORY,
  type CategoricalSummaryJSON,
  type ColumnSummaryJSON,
  type NumericSummaryJSON,
  type ReferenceProfileJSON,
} from '@driftline/stats';

/** The window's pane summary as the monitor stored it (window_summaries.summary). */
export interface StoredPane {
  columns: Record<string, ColumnSummaryJSON>;
}

type ProfileColumn = ReferenceProfileJSON['columns'][number];

function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}

function extremes(...summaries: (NumericSummaryJSON | null)[]): [number, number] | null {
  const known = summaries.filter((s): s is NumericSummaryJSON => s !== null && s.count > 0);
  const lows = known.map((s) => s.sketch.min).filter((x): x is number => x !== null);
  const highs = known.map((s) => s.sketch.max).filter((x): x is number => x !== null);
  return lows.length === 0 || highs.length === 0 ? null : [Math.min(...lows), Math.max(...highs)];
}

function numeric(
  name: string,
  role: string,
  current: NumericSummaryJSON,
  ref: ProfileColumn | undefined,
): ColumnDistribution {
  const reference = ref?.numeric ?? null;
  const comparable = reference !== null && sameEdges(reference.edges, current.edges);
  return {
    column: name,
    role,
    type: 'numeric',
    edges: [...current.edges],
    range: extremes(current, comparable ? reference : null),
    categories: [],
    reference: comparable ? [...reference.binCounts] : null,
    current: [...current.binCounts],
    missing: {
      reference: reference === null ? 0 : reference.missing + reference.invalid,
      current: current.missing + current.invalid,
    },
  };
}

function countsOf(summary: CategoricalSummaryJSON): Map<string, number> {
  const counts = new Map(summary.category.map((c, i) => [c, summary.count[i]]));
  if (summary.other > 0) counts.set(OTHER_CATEGORY, (counts.get(OTHER_CATEGORY) ?? 0) + summary.other);
  return counts;
}

function categorical(
  name: string,
  role: string,
  current: CategoricalSummaryJSON,
  ref: ProfileColumn | undefined,
): ColumnDistribution {
  const reference = ref?.categorical ? countsOf(ref.categorical) : null;
  const window = countsOf(current);
  const categories = [...new Set([...(reference?.keys() ?? []), ...window.keys()])].sort((a, b) =>
    a === OTHER_CATEGORY ? 1 : b === OTHER_CATEGORY ? -1 : compareCodePoints(a, b),
  );
  return {
    column: name,
    role,
    type: 'categorical',
    edges: [],
    range: null,
    categories,
    reference: reference === null ? null : categories.map((c) => reference.get(c) ?? 0),
    current: categories.map((c) => window.get(c) ?? 0),
    missing: { reference: ref?.categorical?.missing ?? 0, current: current.missing },
  };
}

/**
 * Every column of a stored window beside the reference profile in force: the window's summaries
 * were counted on that profile's bins unless the reference was replaced since (then `reference` is
 * null for the numeric columns whose edges changed). Columns in the profile's order, then the rest.
 */
export function windowDistributions(
  pane: StoredPane,
  profile: ReferenceProfileJSON | null,
): ColumnDistribution[] {
  const byName = new Map((profile?.columns ?? []).map((c) => [c.name, c]));
  const order = [...byName.keys()].filter((n) => n in pane.columns);
  const rest = Object.keys(pane.columns).filter((n) => !byName.has(n));
  return [...order, ...rest].map((name) => {
    const summary = pane.columns[name];
    const ref = byName.get(name);
    const role = ref?.role ?? 'feature';
    return summary.kind === 'numeric'
      ? numeric(name, role, summary, ref)
      : categorical(name, role, summary, ref);
  });
}
