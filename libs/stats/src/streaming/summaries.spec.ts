import fc from 'fast-check';
import { binCounts } from '../drift/binning.kernel';
import { momentsOf } from '../drift/moments.kernel';
import { binaryMetrics } from '../metrics/binary.metrics';
import { multiclassMetrics } from '../metrics/multiclass.metrics';
import { regressionMetrics } from '../metrics/regression.metrics';
import { Random } from '../random';
import type { RawValue } from '../types';
import { BinaryPerformanceSummary, type BinaryObservation } from './binary-performance.summary';
import { CategoricalSummary } from './categorical.summary';
import { MulticlassPerformanceSummary, type MulticlassObservation } from './multiclass-performance.summary';
import { NumericSummary } from './numeric.summary';
import { RegressionPerformanceSummary, type RegressionObservation } from './regression-performance.summary';

/** What every summary offers: River-style update and merge, and a JSON form for pane state. */
interface Summary<T, J> {
  update(x: T): void;
  merge(other: this): void;
  toJSON(): J;
}

interface Kind<T, J, S extends Summary<T, J>> {
  name: string;
  make: () => S;
  fromJSON: (json: J) => S;
  item: fc.Arbitrary<T>;
  /** Floating sums and moments merge in a different order: compare them to 1e-9 relative. */
  approx: boolean;
}

function summaryOf<T, J, S extends Summary<T, J>>(kind: Kind<T, J, S>, items: readonly T[]): S {
  const s = kind.make();
  for (const x of items) s.update(x);
  return s;
}

function mergeAll<T, J, S extends Summary<T, J>>(kind: Kind<T, J, S>, parts: S[]): S {
  const out = kind.make();
  for (const p of parts) out.merge(p);
  return out;
}

/** Deep equality with numbers compared to 1e-9 relative (exactly for integers). */
function expectClose(actual: unknown, expected: unknown): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    // counts are compared exactly; a sum so large it is integral (1e206) is a float like any other
    if ((Number.isSafeInteger(expected) && Number.isSafeInteger(actual)) || !Number.isFinite(expected))
      expect(actual).toBe(expected);
    else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expect((actual as unknown[]).length).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], v);
    return;
  }
  expect(actual).toEqual(expected);
}

const raw: fc.Arbitrary<RawValue> = fc.oneof(
  fc.double({ min: -100, max: 100, noNaN: true }),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(null, undefined, Number.NaN, '', '2.5', 'abc'),
);
const label = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', '1', 'é', '🙂');
const binaryLabel = fc.constantFrom<RawValue>('0', '1', 1, 0, null);

const kinds = [
  {
    name: 'NumericSummary (cap 4 distinct values, 8 buckets)',
    make: () => new NumericSummary({ edges: [-10, 0, 0.5, 20], exactValueCap: 4, binLimit: 8 }),
    fromJSON: NumericSummary.fromJSON,
    item: raw,
    approx: true,
  } satisfies Kind<RawValue, ReturnType<NumericSummary['toJSON']>, NumericSummary>,
  {
    name: 'CategoricalSummary (cap 3 categories)',
    make: () => new CategoricalSummary({ categoryCap: 3 }),
    fromJSON: CategoricalSummary.fromJSON,
    item: fc.oneof(label, fc.constantFrom<RawValue>(null, '', 1, true)),
    approx: false,
  } satisfies Kind<RawValue, ReturnType<CategoricalSummary['toJSON']>, CategoricalSummary>,
  {
    name: 'BinaryPerformanceSummary (cap 5 distinct scores, 10 bins)',
    make: () => new BinaryPerformanceSummary({ scoreValueCap: 5, scoreBins: 10 }),
    fromJSON: BinaryPerformanceSummary.fromJSON,
    item: fc.record({
      target: binaryLabel,
      prediction: fc.option(binaryLabel, { nil: undefined }),
      score: fc.option(
        fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.25, 0.5, 1)),
        {
          nil: undefined,
        },
      ),
    }),
    approx: true,
  } satisfies Kind<
    BinaryObservation,
    ReturnType<BinaryPerformanceSummary['toJSON']>,
    BinaryPerformanceSummary
  >,
  {
    name: 'MulticlassPerformanceSummary',
    make: () => new MulticlassPerformanceSummary(),
    fromJSON: MulticlassPerformanceSummary.fromJSON,
    item: fc.record({ target: label, prediction: fc.oneof(label, fc.constant(null)) }),
    approx: false,
  } satisfies Kind<
    MulticlassObservation,
    ReturnType<MulticlassPerformanceSummary['toJSON']>,
    MulticlassPerformanceSummary
  >,
  {
    name: 'RegressionPerformanceSummary (8 buckets)',
    make: () => new RegressionPerformanceSummary({ binLimit: 8 }),
    fromJSON: RegressionPerformanceSummary.fromJSON,
    item: fc.record({
      // |e| / |y| overflows to Infinity (not JSON) for a subnormal y, as in the exact mape
      target: fc.oneof(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((y) => y === 0 || Math.abs(y) > 1e-300),
        fc.constantFrom(0, 1, 2),
      ),
      prediction: fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constantFrom(0, 1, null)),
    }),
    approx: true,
  } satisfies Kind<
    RegressionObservation,
    ReturnType<RegressionPerformanceSummary['toJSON']>,
    RegressionPerformanceSummary
  >,
];

describe.each(kinds)('$name', (kind) => {
  // The kinds differ in item type; each runs with its own arbitrary.
  const k = kind as unknown as Kind<unknown, unknown, Summary<unknown, unknown>>;
  const stream = fc.array(k.item, { maxLength: 40 });
  const same = (actual: unknown, expected: unknown) =>
    k.approx ? expectClose(actual, expected) : expect(actual).toEqual(expected);

  it('merge equals the summary of the concatenated stream, in any grouping and order', () => {
    fc.assert(
      fc.property(stream, stream, stream, (a, b, c) => {
        const [sa, sb, sc] = [a, b, c].map((items) => summaryOf(k, items));
        const whole = summaryOf(k, [...a, ...b, ...c]).toJSON();
        same(mergeAll(k, [sa, sb, sc]).toJSON(), whole);
        same(mergeAll(k, [sc, mergeAll(k, [sb, sa])]).toJSON(), whole);
        same(mergeAll(k, [mergeAll(k, [sa, sc]), sb]).toJSON(), whole);
      }),
      { numRuns: 200 },
    );
  });

  it('survives a JSON round trip and keeps accumulating', () => {
    fc.assert(
      fc.property(stream, stream, (a, b) => {
        const restored = k.fromJSON(JSON.parse(JSON.stringify(summaryOf(k, a).toJSON())));
        for (const x of b) restored.update(x);
        same(restored.toJSON(), summaryOf(k, [...a, ...b]).toJSON());
      }),
      { numRuns: 200 },
    );
  });
});

describe('NumericSummary against batch references at every step', () => {
  it('keeps moments, bin counts and missing counts of the prefix', () => {
    const rng = new Random(11);
    const edges = [-1, 0, 1.5];
    const summary = new NumericSummary({ edges });
    const seen: number[] = [];
    let missing = 0;
    for (let i = 0; i < 500; i++) {
      const value: RawValue = rng.bernoulli(0.1) ? null : Math.round(rng.normal(0, 2) * 4) / 4;
      summary.update(value);
      if (value === null) missing++;
      else seen.push(value);
      if (seen.length === 0) continue;
      const batch = momentsOf(seen);
      expect(summary.count).toBe(batch.count);
      expect(summary.sampleMoments.mean).toBeCloseTo(batch.mean, 12);
      expect(summary.sampleMoments.m2).toBeCloseTo(batch.m2, 9);
      expect(summary.missing).toBe(missing);
      expect(summary.binCounts).toEqual(binCounts(seen, edges));
      expect(summary.min).toBe(Math.min(...seen));
      expect(summary.max).toBe(Math.max(...seen));
    }
  });

  it('counts missing (null, NaN, blank, "NaN") and non-numeric values apart', () => {
    const summary = new NumericSummary();
    for (const v of [1, null, undefined, Number.NaN, ' ', 'NaN', 'x', true, '3']) summary.update(v);
    expect([summary.count, summary.missing, summary.invalid, summary.total]).toEqual([2, 5, 2, 9]);
  });
});

describe('CategoricalSummary', () => {
  it('counts exactly below the cap, and the overflow in __other__ above it', () => {
    const summary = new CategoricalSummary({ categoryCap: 50 });
    const values = Array.from({ length: 400 }, (_, i) => `c${i % 80}`);
    values.forEach((v) => summary.update(v));
    expect(summary.categoryCounts.size).toBe(50);
    expect([...summary.categoryCounts.values()].every((c) => c === 5)).toBe(true);
    expect(summary.other).toBe(30 * 5);
    expect(summary.count).toBe(400);
  });
});

describe('performance summaries against the exact metrics', () => {
  const rng = new Random(21);
  const n = 5000;

  it('binary: confusion, logLoss and brier equal; rocAuc exact on few scores, within its bound on many', () => {
    const target = Array.from({ length: n }, () => (rng.bernoulli(0.3) ? '1' : '0'));
    const coarse = target.map((t) =>
      Math.min(1, Math.max(0, Math.round(rng.normal(t === '1' ? 0.6 : 0.4, 0.2) * 20) / 20)),
    );
    const fine = target.map((t) => Math.min(1, Math.max(0, rng.normal(t === '1' ? 0.6 : 0.4, 0.2))));
    for (const [score, exactAuc] of [
      [coarse, true],
      [fine, false],
    ] as const) {
      const summary = new BinaryPerformanceSummary();
      target.forEach((t, i) => summary.update({ target: t, score: score[i] }));
      const streamed = summary.metrics();
      const exact = binaryMetrics(target, { score });
      expect(streamed.confusionMatrix).toEqual(exact.confusionMatrix);
      for (const key of ['accuracy', 'precision', 'recall', 'f1', 'logLoss', 'brier'] as const)
        expectClose(streamed[key], exact[key]);
      const bound = summary.bounds().rocAuc ?? NaN;
      expect(bound === 0).toBe(exactAuc);
      expect(Math.abs((streamed.rocAuc ?? NaN) - (exact.rocAuc ?? NaN))).toBeLessThanOrEqual(bound + 1e-12);
      expect(bound).toBeLessThan(0.001);
    }
  });

  it('multiclass: every metric equals the exact one', () => {
    const classes = ['cat', 'dog', 'eel', 'fox'];
    const target = Array.from({ length: n }, () => classes[rng.int(4)]);
    const prediction = target.map((t) => (rng.bernoulli(0.7) ? t : classes[rng.int(4)]));
    const summary = new MulticlassPerformanceSummary();
    target.forEach((t, i) => summary.update({ target: t, prediction: prediction[i] }));
    expectClose(summary.metrics(), multiclassMetrics(target, prediction));
  });

  it('regression: sums equal the exact metrics, medianAbsoluteError within its bound', () => {
    const target = Array.from({ length: n }, (_, i) => (i % 50 === 0 ? 0 : rng.lognormal(2, 1)));
    const prediction = target.map((y) => y + rng.normal(0.5, 3));
    const summary = new RegressionPerformanceSummary();
    target.forEach((y, i) => summary.update({ target: y, prediction: prediction[i] }));
    const streamed = summary.metrics();
    const exact = regressionMetrics(target, prediction);
    for (const key of ['mae', 'rmse', 'mape', 'r2', 'meanError'] as const)
      expectClose(streamed[key], exact[key]);
    const bound = summary.bounds().medianAbsoluteError;
    expect(Math.abs(streamed.medianAbsoluteError - exact.medianAbsoluteError)).toBeLessThanOrEqual(
      bound + 1e-12,
    );
    expect(bound).toBeLessThanOrEqual((0.01 / 0.99) * exact.medianAbsoluteError * 1.02);
  });
});
