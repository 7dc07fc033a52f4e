import type { ColumnDistribution } from '../api.types';
import { distributionChart } from './distribution.chart';

const base: ColumnDistribution = {
  column: 'temp',
  role: 'feature',
  type: 'numeric',
  edges: [10, 20],
  range: [1, 40],
  categories: [],
  reference: [2, 2, 4],
  current: [1, 0, 3],
  missing: { reference: 0, current: 0 },
};

describe('distributionChart', () => {
  it("draws a numeric column on the reference bins, each sample's share of its own rows", () => {
    expect(distributionChart(base)).toEqual({
      column: 'temp',
      kind: 'histogram',
      edges: [10, 20],
      range: [1, 40],
      bars: [
        { label: '≤ 10', reference: 0.25, current: 0.25, referenceCount: 2, currentCount: 1 },
        { label: '(10, 20]', reference: 0.25, current: 0, referenceCount: 2, currentCount: 0 },
        { label: '> 20', reference: 0.5, current: 0.75, referenceCount: 4, currentCount: 3 },
      ],
    });
  });

  it('draws empty reference bars when the reference was replaced since the window', () => {
    const chart = distributionChart({ ...base, reference: null });
    expect(chart?.bars.map((b) => [b.reference, b.current])).toEqual([
      [0, 0.25],
      [0, 0],
      [0, 0.75],
    ]);
  });

  it('folds the rarest categories into one bar beyond twenty', () => {
    const categories = Array.from({ length: 25 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const counts = categories.map((_, i) => 100 - i);
    const chart = distributionChart({
      ...base,
      type: 'categorical',
      edges: [],
      range: null,
      categories,
      reference: counts,
      current: counts,
    });
    expect(chart?.kind).toBe('categories');
    expect(chart?.bars).toHaveLength(20);
    expect(chart?.bars[19]).toMatchObject({ label: '6 others', referenceCount: 76 + 77 + 78 + 79 + 80 + 81 });
  });
});
