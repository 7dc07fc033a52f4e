import fc from 'fast-check';
import { columnDrift, type ColumnDriftOptions } from './column.drift';
import { numberColumnDrift } from './number-column.drift';
import { CATEGORICAL_METHODS, NUMERIC_METHODS } from '../types';

const DRIFT_METHODS = [...NUMERIC_METHODS, ...CATEGORICAL_METHODS];

const asCells = (values: Float64Array) => Array.from(values, (x) => (Number.isNaN(x) ? null : x));

/** numberColumnDrift must give what columnDrift gives on the same cells: the figures or the error. */
function expectSameAsColumnDrift(r: Float64Array, c: Float64Array, options: ColumnDriftOptions): void {
  const outcome = (compute: () => unknown) => {
    try {
      return { result: compute() };
    } catch (error) {
      return { error: (error as Error).message, kind: (error as Error).constructor.name };
    }
  };
  const typed = outcome(() => numberColumnDrift('x', r, c, options));
  const cells = outcome(() => columnDrift('x', asCells(r), asCells(c), options));
  expect(typed).toEqual(cells);
}

const sample = (values: fc.Arbitrary<number>) =>
  fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(NaN) }, { weight: 9, arbitrary: values }), {
    minLength: 0,
    maxLength: 60,
  });

const numbers = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, -0, 1e-300, Infinity),
);

describe('numberColumnDrift', () => {
  it('gives the figures and errors of columnDrift for every method, declared type and sample', () => {
    fc.assert(
      fc.property(
        sample(numbers),
        sample(numbers),
        fc.option(fc.constantFrom(...DRIFT_METHODS), { nil: undefined }),
        fc.constantFrom(undefined, 'numeric' as const, 'categorical' as const),
        (r, c, method, type) => {
          expectSameAsColumnDrift(Float64Array.from(r), Float64Array.from(c), { method, type, bins: 4 });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('matches on large samples where the default method is wasserstein, missing values included', () => {
    const r = Float64Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? NaN : Math.sin(i) * 10));
    const c = Float64Array.from({ length: 3000 }, (_, i) => (i % 89 === 0 ? NaN : Math.cos(i) * 12 + 1));
    expectSameAsColumnDrift(r, c, {});
    const drift = numberColumnDrift('x', r, c);
    expect(drift.method).toBe('wasserstein');
    expect(drift.missingShare).toBeCloseTo(34 / 3000, 12);
  });

  it('treats a column of at most 5 distinct values as categorical unless declared numeric', () => {
    const r = Float64Array.from({ length: 50 }, (_, i) => i % 3);
    const c = Float64Array.from({ length: 40 }, (_, i) => i % 5);
    expect(numberColumnDrift('x', r, c).type).toBe('categorical');
    expect(numberColumnDrift('x', r, c, { type: 'numeric' }).type).toBe('numeric');
    expectSameAsColumnDrift(r, c, {});
  });
});
