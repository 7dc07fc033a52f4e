import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { bikeSharingCsv } from '../../../../infra/repo-files';
import {
  cramerVonMisesTest,
  energyDistance,
  ksTest,
  mannWhitneyTest,
  wassersteinNormalised,
} from '../drift/numeric.methods';
import { Random } from '../random';
import {
  type SketchedFigure,
  sketchedCvm,
  sketchedEnergy,
  sketchedKs,
  sketchedMannWhitney,
  sketchedWasserstein,
} from './numeric.comparison';
import { NumericSummary, type NumericSummaryOptions } from './numeric.summary';

type Exact = (
  r: readonly number[],
  c: readonly number[],
) => { statistic: number | null; pValue: number | null };
type Sketched = (r: NumericSummary, c: NumericSummary) => SketchedFigure;

/** Smallest sample each method accepts (cvm, as SciPy, needs two values a side). */
const MIN_SAMPLE: Record<string, number> = { cvm: 2 };

const METHODS: Array<[string, Sketched, Exact]> = [
  ['ks', sketchedKs, ksTest],
  ['wasserstein', sketchedWasserstein, (r, c) => ({ statistic: wassersteinNormalised(r, c), pValue: null })],
  ['energy', sketchedEnergy, (r, c) => ({ statistic: energyDistance(r, c), pValue: null })],
  ['cvm', sketchedCvm, cramerVonMisesTest],
  ['mannwhitney', sketchedMannWhitney, mannWhitneyTest],
];

function summaryOf(values: readonly number[], options: NumericSummaryOptions): NumericSummary {
  const summary = new NumericSummary(options);
  for (const x of values) summary.update(x);
  return summary;
}

/**
 * The exact figure lies within the stated bound of the streamed one (floating-point slack 1e-9),
 * and the exact p-value within the streamed range, to the p-value tolerance of STATS.md (1e-6
 * absolute): the asymptotic CvM p-value is not monotone in T below about 1e-8.
 */
function expectWithinBound(
  streamed: SketchedFigure,
  exact: { statistic: number | null; pValue: number | null },
) {
  const statistic = exact.statistic ?? NaN;
  const slack = 1e-9 * Math.max(1, Math.abs(statistic));
  expect(Math.abs(streamed.statistic - statistic)).toBeLessThanOrEqual(streamed.bound + slack);
  if (exact.pValue !== null) {
    expect(streamed.pValueRange).not.toBeNull();
    expect(exact.pValue).toBeGreaterThanOrEqual((streamed.pValueRange?.lo ?? NaN) - 1e-6);
    expect(exact.pValue).toBeLessThanOrEqual((streamed.pValueRange?.hi ?? NaN) + 1e-6);
  }
}

const sample = fc.array(
  fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: -5, max: 5 }), fc.constant(0)),
  { minLength: 1, maxLength: 40 },
);

describe.each(METHODS)('sketched %s', (name, sketched, exact) => {
  const accepted = (r: readonly number[], c: readonly number[]) =>
    Math.min(r.length, c.length) >= (MIN_SAMPLE[name] ?? 1);

  it.each([
    ['2048 buckets', 2048],
    ['8 buckets, collapsed', 8],
  ])('stays within its bound of the exact figure on random samples with ties (%s)', (_label, binLimit) => {
    fc.assert(
      fc.property(sample, sample, (r, c) => {
        fc.pre(accepted(r, c));
        const options = { exactValueCap: 0, binLimit };
        expectWithinBound(sketched(summaryOf(r, options), summaryOf(c, options)), exact(r, c));
      }),
      { numRuns: 150 },
    );
  });

  it('is exact while both summaries hold their distinct values', () => {
    fc.assert(
      fc.property(sample, sample, (r, c) => {
        fc.pre(accepted(r, c));
        const options = { exactValueCap: 1000 };
        const streamed = sketched(summaryOf(r, options), summaryOf(c, options));
        const expected = exact(r, c);
        expect(streamed.bound).toBe(0);
        expect(streamed.statistic).toBeCloseTo(expected.statistic ?? NaN, 9);
        if (expected.pValue !== null) expect(streamed.pValue).toBeCloseTo(expected.pValue, 9);
      }),
      { numRuns: 100 },
    );
  });
});

function bikeColumn(name: string): number[] {
  const text = readFileSync(bikeSharingCsv(), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const index = header.split(',').indexOf(name);
  const yr = header.split(',').indexOf('yr');
  return lines
    .map((l) => l.split(','))
    .filter((f) => f[yr] === '0')
    .map((f) => Number(f[index]));
}

function bootstrap(values: readonly number[], n: number, seed: number): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => values[rng.int(values.length)]);
}

const N = 100_000;
const STREAMS: Array<[string, () => [number[], number[]]]> = [
  [
    'normal, mean shift 0.05',
    () => [new Random(1).sample(N, (r) => r.normal(0, 1)), new Random(2).sample(N, (r) => r.normal(0.05, 1))],
  ],
  [
    'lognormal, sigma 1 vs 1.1',
    () => [
      new Random(3).sample(N, (r) => r.lognormal(0, 1)),
      new Random(4).sample(N, (r) => r.lognormal(0, 1.1)),
    ],
  ],
  [
    'bike hr (24 tied integers), resampled',
    () => [bootstrap(bikeColumn('hr'), N, 5), bootstrap(bikeColumn('hr').slice(4000), N, 6)],
  ],
  [
    'bike temp (50 tied values), resampled',
    () => [bootstrap(bikeColumn('temp'), N, 7), bootstrap(bikeColumn('temp').slice(4000), N, 8)],
  ],
];

describe.each(STREAMS)('100,000-value stream: %s', (_name, draw) => {
  const [r, c] = draw();
  const sketchOnly = { exactValueCap: 0 };
  const rs = summaryOf(r, sketchOnly);
  const cs = summaryOf(c, sketchOnly);

  it.each(METHODS)('sketched %s stays within its bound of the exact figure', (_method, sketched, exact) => {
    const streamed = sketched(rs, cs);
    expectWithinBound(streamed, exact(r, c));
    expect(Number.isFinite(streamed.bound)).toBe(true);
  });

  it('keeps the KS and Wasserstein bounds below their a priori limits', () => {
    const ks = sketchedKs(rs, cs);
    const largestBucketShare = Math.max(
      ...rs.sketch.cells().map((cell) => cell.count / rs.count),
      ...cs.sketch.cells().map((cell) => cell.count / cs.count),
    );
    expect(ks.bound).toBeLessThanOrEqual(largestBucketShare + 1e-12);
    const alpha = 0.01;
    const meanAbs = (xs: number[]) => xs.reduce((s, x) => s + Math.abs(x), 0) / xs.length;
    const limit = (((2 * alpha) / (1 - alpha)) * (meanAbs(r) + meanAbs(c))) / Math.max(rs.std, 0.001);
    expect(sketchedWasserstein(rs, cs).bound).toBeLessThanOrEqual(limit * (1 + 1e-9));
  });
});

describe('sketched cvm on a sample of one', () => {
  it('refuses it as the exact test does', () => {
    const one = summaryOf([1], { exactValueCap: 0 });
    const two = summaryOf([1, 2], { exactValueCap: 0 });
    expect(() => cramerVonMisesTest([1], [1, 2])).toThrow(/at least two values/);
    expect(() => sketchedCvm(one, two)).toThrow(/at least two values/);
    expect(() => sketchedCvm(two, one)).toThrow(/at least two values/);
    expect(sketchedCvm(two, two).statistic).toBeCloseTo(
      cramerVonMisesTest([1, 2], [1, 2]).statistic ?? NaN,
      12,
    );
  });
});

describe('sketched mannwhitney where the sketch sees only ties', () => {
  it('keeps the exact p-value inside its range (a denormal below 0 shares the zero bucket)', () => {
    const options = { exactValueCap: 0, binLimit: 8 };
    const r = [0, 0];
    const c = [-5e-324, 0];
    expectWithinBound(
      sketchedMannWhitney(summaryOf(r, options), summaryOf(c, options)),
      mannWhitneyTest(r, c),
    );
  });
});
