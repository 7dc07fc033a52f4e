import { StatsInputError } from '../drift/stats-input.error';
import { Random } from '../random';
import type { RawValue } from '../types';
import { CategoricalSummary } from './categorical.summary';
import { NumericSummary } from './numeric.summary';
import { type ColumnSummaryJSON, profileFromWindowSummary } from './profile-from-summaries';
import { buildReferenceProfile } from './reference-profile.builder';
import { ReferenceProfile, type WindowSummary } from './reference.profile';
import { evaluateDrift } from './streaming.drift';

type Row = Record<string, RawValue>;

/** A window as the monitor builds it: panes of the reference in force, merged, as JSON. */
function windowSummary(
  inForce: ReferenceProfile,
  rows: readonly Row[],
  panes = 4,
): Record<string, ColumnSummaryJSON> {
  const parts = Array.from({ length: panes }, () => inForce.newWindow());
  rows.forEach((row, i) => ReferenceProfile.updateWindow(parts[i % panes], row));
  const [merged, ...rest] = parts;
  for (const part of rest)
    for (const [name, summary] of Object.entries(part)) {
      const into = merged[name];
      if (into instanceof NumericSummary && summary instanceof NumericSummary) into.merge(summary);
      else if (into instanceof CategoricalSummary && summary instanceof CategoricalSummary)
        into.merge(summary);
    }
  return Object.fromEntries(Object.entries(merged).map(([name, s]) => [name, s.toJSON()]));
}

function rowsOf(seed: number, n: number, mean: number): Row[] {
  const random = new Random(seed);
  const plans = ['basic', 'pro', 'team', 'basic', 'basic'];
  return Array.from({ length: n }, () => ({
    x: random.normal(mean, 2),
    hour: random.int(24),
    plan: plans[random.int(plans.length)],
  }));
}

/** The reference in force when the window ran: another distribution, so its edges differ. */
const inForce = buildReferenceProfile(rowsOf(7, 500, 0));
const rows = rowsOf(1, 5000, 10);
const pinned = profileFromWindowSummary(windowSummary(inForce, rows), { types: { plan: 'categorical' } });
const built = buildReferenceProfile(rows, { types: { plan: 'categorical' } });

describe('profileFromWindowSummary', () => {
  it('gives the exact type-7 edges and shares of a column the window holds every distinct value of', () => {
    expect(pinned.column('hour').json.edgeSource).toBe('sample');
    expect(pinned.column('hour').json.edges).toEqual(built.column('hour').json.edges);
    expect(pinned.column('hour').json.shares).toEqual(built.column('hour').json.shares);
    expect(pinned.column('hour').json.rows).toBe(5000);
  });

  it('puts each sketched edge within the relative accuracy of its order statistic, with exact shares', () => {
    const column = pinned.column('x').json;
    expect(column.edgeSource).toBe('sketch');
    const sorted = rows.map((r) => Number(r.x)).sort((a, b) => a - b);
    const gamma = 1.01 / 0.99;
    const exactEdges = built.column('x').json.edges;
    expect(column.edges).toHaveLength(9);
    column.edges.forEach((edge, i) => {
      const r = Math.floor((sorted.length - 1) * ((i + 1) / 10));
      const [low, next] = [sorted[r], sorted[r + 1]];
      expect(edge).toBeGreaterThanOrEqual(low);
      expect(edge).toBeLessThanOrEqual(low * gamma);
      expect(Math.abs(edge - exactEdges[i])).toBeLessThanOrEqual((gamma - 1) * low + (next - low));
    });
    const counts = [...column.edges, Infinity].map(
      (edge, i) => sorted.filter((v) => v <= edge && (i === 0 || v > column.edges[i - 1])).length,
    );
    expect(column.shares).toEqual(counts.map((c) => c / sorted.length));
    expect(column.numeric?.binCounts).toEqual(counts);
    expect(column.numeric?.count).toBe(5000);
  });

  it('keeps the categories and their shares, with no sample', () => {
    const plan = pinned.column('plan').json;
    expect(plan.categories).toEqual(built.column('plan').json.categories);
    expect(plan.shares).toEqual(built.column('plan').json.shares);
    expect(plan.declared).toBe(true);
    expect([plan.sample, plan.sampleComplete]).toEqual([[], false]);
    expect(pinned.json.rows).toBe(5000);
  });

  it('names roles and refuses a declared type the window did not summarise', () => {
    const summary = windowSummary(inForce, rows.slice(0, 100));
    expect(profileFromWindowSummary(summary, { score: 'x' }).column('x').json.role).toBe('score');
    expect(() => profileFromWindowSummary(summary, { types: { x: 'categorical' } })).toThrow(StatsInputError);
  });

  it('profiles a column with no value in the window as one empty bin', () => {
    const summary = windowSummary(inForce, [{ x: null, hour: 1, plan: 'pro' }]);
    const x = profileFromWindowSummary(summary).column('x').json;
    expect([x.edges, x.shares, x.rows]).toEqual([[], [0], 1]);
  });

  describe('as the reference evaluateDrift compares windows with', () => {
    type XMethod = 'psi' | 'ks' | 'wasserstein';
    /** Verdicts per column with the default methods, then on x alone per named method. */
    function driftOf(sample: readonly Row[], methods: XMethod[]): boolean[] {
      const verdicts = (columns: string[], method?: XMethod) => {
        const window: Record<string, WindowSummary> = Object.fromEntries(
          Object.entries(pinned.newWindow()).filter(([name]) => columns.includes(name)),
        );
        for (const row of sample) ReferenceProfile.updateWindow(window, row);
        return evaluateDrift(pinned, window, method ? { method } : {}).map((d) => d.drifted);
      };
      return [...verdicts(['x', 'hour', 'plan']), ...methods.flatMap((m) => verdicts(['x'], m))];
    }

    it('finds no drift in a fresh sample of the same distribution', () => {
      expect(driftOf(rowsOf(2, 2000, 10), ['psi', 'ks', 'wasserstein'])).toEqual([
        false,
        false,
        false,
        false,
        false,
        false,
      ]);
    });

    it('finds drift in x shifted by half a standard deviation, and only there', () => {
      expect(driftOf(rowsOf(3, 2000, 11), ['psi', 'ks', 'wasserstein'])).toEqual([
        true,
        false,
        false,
        true,
        true,
        true,
      ]);
    });
  });
});
