import fc from 'fast-check';
import { binCounts, binEdges, quantileSorted } from './binning.kernel';
import { cvmLimitCdf } from './cramer-von-mises.distribution';
import { kolmogorovSf, ksExactPValue } from './kolmogorov.distribution';
import { StatsInputError } from './stats-input.error';
import {
  cramerVonMisesTest,
  energyDistance,
  ksTest,
  mannWhitneyTest,
  wassersteinNormalised,
  welchTTest,
} from './numeric.methods';

/** Every way to split the pooled ranks 1..n+m into R and C, by brute force. */
function* splits(n: number, m: number, prefix: boolean[] = []): Generator<boolean[]> {
  const inR = prefix.filter(Boolean).length;
  if (prefix.length === n + m) {
    if (inR === n) yield prefix;
    return;
  }
  if (inR < n) yield* splits(n, m, [...prefix, true]);
  if (prefix.length - inR < m) yield* splits(n, m, [...prefix, false]);
}

function ksDistanceOfSplit(split: boolean[], n: number, m: number): number {
  let i = 0;
  let j = 0;
  let d = 0;
  for (const fromR of split) {
    if (fromR) i++;
    else j++;
    d = Math.max(d, Math.abs(i * m - j * n));
  }
  return d;
}

/** P(D_{n,n} >= h/n) = 2 sum_{k>=1} (-1)^(k+1) C(2n, n-kh) / C(2n, n) (Gnedenko & Korolyuk 1951), in exact integers. */
function gnedenkoKorolyuk(n: number, h: number): number {
  const binomial = (a: number, b: number): bigint => {
    let r = 1n;
    for (let i = 1; i <= b; i++) r = (r * BigInt(a - b + i)) / BigInt(i);
    return r;
  };
  let sum = 0n;
  for (let k = 1; n - k * h >= 0; k++) sum += (k % 2 === 1 ? 2n : -2n) * binomial(2 * n, n - k * h);
  const scale = 10n ** 30n;
  return Number((sum * scale) / binomial(2 * n, n)) / 1e30;
}

describe('exact two-sample KS p-value', () => {
  it.each([
    [3, 3],
    [4, 6],
    [5, 7],
    [6, 6],
    [2, 9],
  ])('equals the brute-force share of the C(n+m, n) arrangements with D >= d (n=%i, m=%i)', (n, m) => {
    const all = [...splits(n, m)].map((s) => ksDistanceOfSplit(s, n, m));
    for (const observed of new Set(all)) {
      const expected = all.filter((d) => d >= observed).length / all.length;
      const { statistic, pValue } = ksExactPValue(n, m, observed / (n * m));
      expect(statistic).toBeCloseTo(observed / (n * m), 14);
      expect(pValue).toBeCloseTo(expected, 12);
    }
  });

  it('switches from the exact to the limiting distribution just above n·m = 1,000,000', () => {
    const sample = (size: number, shift: number) => Array.from({ length: size }, (_, i) => i + shift);
    const r = sample(1000, 0);
    const exact = ksTest(r, sample(1000, 50));
    expect(exact.statistic).toBeCloseTo(0.05, 12);
    expect(exact.pValue).toBeCloseTo(gnedenkoKorolyuk(1000, 50), 12);
    const c = sample(1001, 50);
    const limit = ksTest(r, c);
    expect(limit.pValue).toBe(kolmogorovSf(Math.sqrt((1000 * 1001) / 2001) * limit.statistic!));
  });

  it('handles ties: identical samples give D = 0 and p = 1', () => {
    expect(ksTest([1, 1, 2, 2], [2, 1, 2, 1])).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe('limiting distributions', () => {
  it.each([
    [1.2238, 0.1],
    [1.3581, 0.05],
    [1.6276, 0.01],
  ])('Kolmogorov P(K > %f) = %f (Smirnov 1948 critical values)', (x, p) => {
    expect(kolmogorovSf(x)).toBeCloseTo(p, 4);
  });

  it('Kolmogorov sf is continuous across the series cut-over at 0.82 and matches P(K <= 1) = 0.73', () => {
    expect(kolmogorovSf(0.82 - 1e-12)).toBeCloseTo(kolmogorovSf(0.82 + 1e-12), 10);
    expect(kolmogorovSf(1)).toBeCloseTo(0.27, 4);
    expect(kolmogorovSf(0.5)).toBeCloseTo(0.96394, 4);
  });

  it.each([
    [0.3473, 0.9],
    [0.46136, 0.95],
    [0.74346, 0.99],
  ])('Cramér–von Mises limit CDF at %f is %f (Anderson & Darling 1952)', (x, p) => {
    expect(cvmLimitCdf(x)).toBeCloseTo(p, 4);
  });
});

describe('distances on the empirical CDFs', () => {
  it('Wasserstein of [0, 1, 3] and [5, 6, 8] is 5 (SciPy docs), normalised by std', () => {
    const std = Math.sqrt(((0 - 4 / 3) ** 2 + (1 - 4 / 3) ** 2 + (3 - 4 / 3) ** 2) / 3);
    expect(wassersteinNormalised([0, 1, 3], [5, 6, 8])).toBeCloseTo(5 / std, 12);
    expect(wassersteinNormalised([2, 2, 2], [3])).toBeCloseTo(1 / 0.001, 9);
  });

  it('energy distance of [0] and [2] is 2 (SciPy docs)', () => {
    expect(energyDistance([0], [2])).toBeCloseTo(2, 12);
  });

  it("energy distance equals sqrt(2E|X-Y| - E|X-X'| - E|Y-Y'|) (Székely)", () => {
    const sample = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 15 });
    fc.assert(
      fc.property(sample, sample, (r, c) => {
        const meanAbs = (a: number[], b: number[]) =>
          a.reduce((s, x) => s + b.reduce((t, y) => t + Math.abs(x - y), 0), 0) / (a.length * b.length);
        const expected = Math.sqrt(Math.max(0, 2 * meanAbs(r, c) - meanAbs(r, r) - meanAbs(c, c)));
        expect(energyDistance(r, c)).toBeCloseTo(expected, 9);
      }),
    );
  });
});

describe('rank and moment tests', () => {
  it('Mann–Whitney U of R counts the pairs with r > c, ties counting 1/2', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(sample, sample, (r, c) => {
        const pairs = r.reduce((s, x) => s + c.reduce((t, y) => t + (x > y ? 1 : x === y ? 0.5 : 0), 0), 0);
        const { statistic, pValue } = mannWhitneyTest(r, c);
        expect(statistic).toBe(pairs);
        expect(pValue).toBeGreaterThanOrEqual(0);
        expect(pValue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('Mann–Whitney p = 1 when every value is tied', () => {
    expect(mannWhitneyTest([3, 3], [3, 3, 3]).pValue).toBe(1);
  });

  it('Welch t on a hand-worked example: means 2 and 5, variances 1 and 1, n = 3 each', () => {
    // t = -3 / sqrt(1/3 + 1/3) = -3.674235; df = (2/3)^2 / (2 * (1/9) / 2) = 4.
    const { statistic, pValue } = welchTTest([1, 2, 3], [4, 5, 6]);
    expect(statistic).toBeCloseTo(-3 / Math.sqrt(2 / 3), 12);
    // Two-sided t(4) tail at 3.674235 (tables: t_{0.99,4} = 3.747, t_{0.975,4} = 2.776).
    expect(pValue).toBeGreaterThan(0.02);
    expect(pValue).toBeLessThan(0.05);
    expect(pValue).toBeCloseTo(0.0213, 3);
  });

  it('Welch t with no variance: equal means give t 0 and p 1, different means t infinite (null) and p 0', () => {
    expect(welchTTest([2, 2], [2, 2, 2])).toEqual({ statistic: 0, pValue: 1 });
    expect(welchTTest([2, 2], [3, 3])).toEqual({ statistic: null, pValue: 0 });
  });
});

describe('binning', () => {
  it('computes type-7 quantiles as numpy.quantile: [1, 2, 3, 4] at 1/4, 1/2, 3/4 is 1.75, 2.5, 3.25', () => {
    expect([0.25, 0.5, 0.75].map((q) => quantileSorted([1, 2, 3, 4], q))).toEqual([1.75, 2.5, 3.25]);
  });

  it('keeps unique edges and puts a value equal to an edge in the lower (right-closed) bin', () => {
    const edges = binEdges([1, 1, 1, 1, 2, 3], 3);
    // (n-1)q = 5/3 and 10/3: edges 1 and 1 + (2 - 1) / 3; the first, 1, would repeat at q = 0.
    expect(edges).toHaveLength(2);
    expect(edges[0]).toBe(1);
    expect(edges[1]).toBeCloseTo(4 / 3, 14);
    expect(binCounts([0, 1, 1.2, 1.5, 9], edges)).toEqual([2, 1, 2]);
    expect(binEdges([4, 4, 4], 10)).toEqual([4]);
  });
});

describe('Cramér–von Mises on tiny samples', () => {
  it('the limit CDF is 1 at +infinity instead of summing forever', () => {
    expect(cvmLimitCdf(Infinity)).toBe(1);
    expect(Math.abs(1 - cvmLimitCdf(50))).toBeLessThan(1e-6); // STATS.md's p-value tolerance
  });

  it('refuses fewer than two values per sample, as SciPy does', () => {
    expect(() => cramerVonMisesTest([1], [2])).toThrow(StatsInputError);
    expect(() => cramerVonMisesTest([1, 2, 3], [2])).toThrow(/at least two values/);
    expect(cramerVonMisesTest([1, 2], [3, 4]).pValue).toBeGreaterThan(0);
  });
});
