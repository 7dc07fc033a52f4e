import { Random } from '../random';
import { IsotonicRegression, poolAdjacentViolators } from './isotonic.regression';

const unclipped = { yMin: -Infinity, yMax: Infinity };

/** The min-max characterisation of isotonic regression: f_i = max_{j<=i} min_{k>=i} mean_w(y_j..y_k). */
function minMax(y: number[], w: number[]): number[] {
  return y.map((_, i) => {
    let best = -Infinity;
    for (let j = 0; j <= i; j++) {
      let inner = Infinity;
      for (let k = i; k < y.length; k++) {
        let s = 0;
        let sw = 0;
        for (let t = j; t <= k; t++) {
          s += w[t] * y[t];
          sw += w[t];
        }
        inner = Math.min(inner, s / sw);
      }
      best = Math.max(best, inner);
    }
    return best;
  });
}

describe('poolAdjacentViolators', () => {
  it('solves the worked example of scikit-learn test_isotonic_regression', () => {
    expect(poolAdjacentViolators([3, 7, 5, 9, 8, 7, 10])).toEqual([3, 6, 6, 8, 8, 8, 10]);
  });

  it('pools by weight: [1, 3, 2, 4, 3.5] weighted [1, 1, 3, 1, 1]', () => {
    // 3 and 2 (weight 3) pool to (3 + 6) / 4 = 2.25; 4 and 3.5 pool to 3.75
    expect(poolAdjacentViolators([1, 3, 2, 4, 3.5], [1, 1, 3, 1, 1])).toEqual([1, 2.25, 2.25, 3.75, 3.75]);
  });

  it('agrees with the min-max formula on random weighted data', () => {
    const rng = new Random(17);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rng.int(25);
      const y = rng.sample(n, (r) => r.normal());
      const w = rng.sample(n, (r) => r.between(0.1, 3));
      const fitted = poolAdjacentViolators(y, w);
      const expected = minMax(y, w);
      fitted.forEach((f, i) => expect(f).toBeCloseTo(expected[i], 12));
    }
  });
});

describe('IsotonicRegression', () => {
  it('pools equal x first (scikit-learn test_isotonic_regression_ties_min)', () => {
    const iso = IsotonicRegression.fit([1, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], unclipped);
    expect([1, 2, 3, 4, 5].map((v) => iso.predict(v))).toEqual([1.5, 3, 4, 5, 6]);
  });

  it('sorts by x, interpolates linearly between breakpoints and clamps outside them', () => {
    const iso = IsotonicRegression.fit([5, 1, 3, 2, 4], [3.5, 1, 2, 3, 4], {
      ...unclipped,
      weights: [1, 1, 3, 1, 1],
    });
    // sorted y = [1, 3, 2, 4, 3.5] with weights [1, 1, 3, 1, 1]: fitted [1, 2.25, 2.25, 3.75, 3.75]
    expect(iso.toJSON()).toEqual({ x: [1, 2, 3, 4, 5], y: [1, 2.25, 2.25, 3.75, 3.75] });
    expect(iso.predict(1.5)).toBeCloseTo(1.625, 15);
    expect(iso.predict(3.5)).toBeCloseTo(3, 15);
    expect(iso.predict(-10)).toBe(1);
    expect(iso.predict(10)).toBe(3.75);
  });

  it('drops interior points of a flat run', () => {
    const iso = IsotonicRegression.fit([1, 2, 3, 4, 5], [0, 1, 0, 1, 1]);
    // 1 and 0 pool to 0.5; every point ends a run or starts one, so all stay
    expect(iso.toJSON()).toEqual({ x: [1, 2, 3, 4, 5], y: [0, 0.5, 0.5, 1, 1] });
    const flat = IsotonicRegression.fit([1, 2, 3, 4], [0.2, 0.2, 0.2, 0.2]);
    expect(flat.toJSON()).toEqual({ x: [1, 4], y: [0.2, 0.2] });
  });

  it('clips fitted values to [0, 1] by default and leaves out rows of weight 0', () => {
    const iso = IsotonicRegression.fit([1, 2, 3], [-1, 0.5, 2], { weights: [1, 1, 1] });
    expect(iso.toJSON().y).toEqual([0, 0.5, 1]);
    const weighted = IsotonicRegression.fit([1, 2, 3], [0.9, 0.1, 0.4], { weights: [0, 1, 1] });
    expect(weighted.toJSON()).toEqual({ x: [2, 3], y: [0.1, 0.4] });
  });

  it('round-trips through JSON and rejects non-monotone state', () => {
    const iso = IsotonicRegression.fit([1, 2, 3, 4], [0, 1, 0, 1]);
    const copy = IsotonicRegression.fromJSON(JSON.parse(JSON.stringify(iso)));
    expect(copy.predict(2.7)).toBe(iso.predict(2.7));
    expect(() => IsotonicRegression.fromJSON({ x: [1, 2], y: [0.5, 0.2] })).toThrow(RangeError);
    expect(() => IsotonicRegression.fit([1, Number.NaN], [0, 1])).toThrow(RangeError);
  });
});
