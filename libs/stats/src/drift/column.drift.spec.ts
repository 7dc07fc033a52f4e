import { columnDrift } from './column.drift';
import { defaultMethod, methodFits } from './method.registry';
import { StatsInputError } from './stats-input.error';
import { CATEGORICAL_METHODS, NUMERIC_METHODS, type DriftMethod } from '../types';
import {
  pValueAgrees,
  readOracleCsv,
  readOracleExpected,
  statisticAgrees,
  type OracleDriftCase,
} from '../report/oracle.fixture';

describe.each(['drift-small', 'no-drift'])('columnDrift on oracle case %s', (name) => {
  const reference = readOracleCsv(name, 'reference.csv');
  const current = readOracleCsv(name, 'current.csv');
  const expected = readOracleExpected<OracleDriftCase>(name);
  const rows = Object.entries(expected.columns).flatMap(([column, { type, methods }]) =>
    Object.entries(methods).map(([method, want]) => ({ column, type, method: method as DriftMethod, want })),
  );

  it.each(rows)(
    '$column $method agrees with SciPy (statistic, p, verdict)',
    ({ column, type, method, want }) => {
      const got = columnDrift(column, reference[column], current[column], { method });
      expect(got.type).toBe(type);
      expect(got.method).toBe(method);
      expect(statisticAgrees(got.statistic, want.statistic)).toBe(true);
      if (want.pValue === undefined) expect(got.pValue).toBeNull();
      else expect(pValueAgrees(got.pValue, want.pValue)).toBe(true);
      expect(got.drifted).toBe(want.drifted);
      expect(got.missingShare).toBe(0);
    },
  );
});

describe('columnDrift type and default method', () => {
  const numbers = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => ((i * 37) % 101) + offset);

  it('uses ks up to 1000 reference values and wasserstein above, for numeric columns', () => {
    expect(columnDrift('x', numbers(1000), numbers(50)).method).toBe('ks');
    expect(columnDrift('x', numbers(1001), numbers(50)).method).toBe('wasserstein');
  });

  it('treats a numeric column with at most 5 distinct values as categorical unless declared numeric', () => {
    const r = [1, 2, 3, 4, 5, 1, 2];
    const c = ['1', '2.0', '3', '5', '4'];
    const inferred = columnDrift('grade', r, c);
    expect(inferred.type).toBe('categorical');
    expect(inferred.method).toBe('chisquare');
    const declared = columnDrift('grade', r, c, { type: 'numeric' });
    expect(declared.type).toBe('numeric');
    expect(declared.method).toBe('ks');
  });

  it('merges "2" and "2.0" into one category for a numeric column read as categorical', () => {
    const got = columnDrift('flag', ['2', '3', '2'], ['2.0', '3', '2.0'], { method: 'linf' });
    expect(got.statistic).toBe(0);
  });

  it('uses ztest with at most 2 categories, chisquare with more, jensenshannon above 1000 rows', () => {
    const two = (n: number) => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
    const three = (n: number) => Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3]);
    expect(columnDrift('c', two(1000), two(30)).method).toBe('ztest');
    expect(columnDrift('c', three(1000), three(30)).method).toBe('chisquare');
    expect(columnDrift('c', three(1001), three(30)).method).toBe('jensenshannon');
  });

  it('reads a column as numeric only when every present value is a finite number', () => {
    expect(columnDrift('x', [...numbers(20), '7e1'], numbers(20)).type).toBe('numeric');
    expect(columnDrift('x', [...numbers(20), 'n/a'], numbers(20)).type).toBe('categorical');
    expect(columnDrift('x', [...numbers(20), 'Infinity'], numbers(20)).type).toBe('categorical');
  });

  it('follows a named method that fits only numeric columns even with few distinct values', () => {
    expect(columnDrift('x', [0, 1, 1, 0], [1, 1, 1, 0], { method: 'ks' }).type).toBe('numeric');
  });

  it('matches defaultMethod and methodFits to the STATS.md tables', () => {
    expect(defaultMethod('numeric', 1000, 6)).toBe('ks');
    expect(defaultMethod('categorical', 10, 2)).toBe('ztest');
    expect(defaultMethod('categorical', 10, 3)).toBe('chisquare');
    expect(defaultMethod('categorical', 1001, 2)).toBe('jensenshannon');
    for (const m of NUMERIC_METHODS) expect(methodFits(m, 'numeric')).toBe(true);
    for (const m of CATEGORICAL_METHODS) expect(methodFits(m, 'categorical')).toBe(true);
    expect(methodFits('ks', 'categorical')).toBe(false);
    expect(methodFits('linf', 'numeric')).toBe(false);
  });
});

describe('columnDrift missing values and errors', () => {
  it('leaves missing values out and reports the current missing share', () => {
    const clean = columnDrift('x', [1, 2, 3, 4, 5, 6, 7], [2, 3, 4, 5, 6, 7, 8]);
    const withMissing = columnDrift(
      'x',
      [1, null, 2, 3, '', 4, 5, 6, 7],
      [2, 3, Number.NaN, 4, undefined, 5, 'NaN', 6, 7, 8],
    );
    expect(withMissing.statistic).toBe(clean.statistic);
    expect(withMissing.pValue).toBe(clean.pValue);
    expect(withMissing.missingShare).toBeCloseTo(3 / 10, 15);
  });

  it('throws StatsInputError on a sample that is empty after removing missing values', () => {
    expect(() => columnDrift('x', [null, ''], [1, 2])).toThrow(StatsInputError);
    expect(() => columnDrift('x', [1, 2], [])).toThrow(/current sample is empty/);
  });

  it('throws StatsInputError on a method that does not fit the type', () => {
    expect(() => columnDrift('c', ['a', 'b'], ['a', 'b'], { method: 'ks' })).toThrow(
      /"ks" does not fit a categorical/,
    );
    expect(() => columnDrift('x', [1, 2], [1, 2], { type: 'numeric', method: 'chisquare' })).toThrow(
      StatsInputError,
    );
    expect(() => columnDrift('x', [1, 'a'], [1, 2], { type: 'numeric' })).toThrow(/declared numeric/);
  });

  it('refuses ztest and fisher on 3 categories, and fisher on 1', () => {
    const three = ['a', 'b', 'c', 'a'];
    expect(() => columnDrift('c', three, three, { method: 'ztest' })).toThrow(
      /at most 2 categories, found 3/,
    );
    expect(() => columnDrift('c', three, three, { method: 'fisher' })).toThrow(
      /exactly 2 categories, found 3/,
    );
    expect(() => columnDrift('c', ['a'], ['a'], { method: 'fisher' })).toThrow(StatsInputError);
  });

  it('gives chisquare and ztest statistic 0 and p 1 with a single category', () => {
    for (const method of ['chisquare', 'gtest', 'ztest'] as const) {
      const got = columnDrift('c', ['a', 'a'], ['a'], { method });
      expect([got.statistic, got.pValue, got.drifted]).toEqual([0, 1, false]);
    }
  });
});
