/** A fitted isotonic regression: increasing breakpoints `x` and their fitted values `y`, as JSON. */
export interface IsotonicState {
  x: number[];
  y: number[];
}

export interface IsotonicOptions {
  /** Per-row weights (default 1); rows with weight 0 are left out. */
  weights?: readonly number[];
  /** Lower clip of the fitted values (default 0). */
  yMin?: number;
  /** Upper clip of the fitted values (default 1). */
  yMax?: number;
}

/**
 * Weighted pool-adjacent-violators on values already in x order: the non-decreasing sequence
 * minimising sum w_i (f_i − y_i)². Each pooled block takes the weighted mean of its values.
 */
export function poolAdjacentViolators(y: readonly number[], weights?: readonly number[]): number[] {
  const means: number[] = [];
  const sums: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < y.length; i++) {
    let w = weights ? weights[i] : 1;
    let m = y[i];
    let count = 1;
    while (means.length > 0 && means[means.length - 1] > m) {
      const wPrev = sums.pop() as number;
      const mPrev = means.pop() as number;
      count += counts.pop() as number;
      m = (wPrev * mPrev + w * m) / (wPrev + w);
      w += wPrev;
    }
    means.push(m);
    sums.push(w);
    counts.push(count);
  }
  const fitted: number[] = [];
  means.forEach((m, block) => {
    for (let k = 0; k < counts[block]; k++) fitted.push(m);
  });
  return fitted;
}

/**
 * Monotone increasing isotonic regression of y on x, as scikit-learn's
 * `IsotonicRegression(increasing=True, y_min=0, y_max=1, out_of_bounds="clip")`: rows sorted by
 * x, equal x pooled into their weighted mean, weighted pool-adjacent-violators, values clipped to
 * [yMin, yMax]; a prediction interpolates linearly between breakpoints and clamps outside them.
 */
export class IsotonicRegression {
  private constructor(
    readonly x: readonly number[],
    readonly y: readonly number[],
  ) {}

  static fit(x: readonly number[], y: readonly number[], options: IsotonicOptions = {}): IsotonicRegression {
    if (x.length !== y.length) throw new RangeError('IsotonicRegression.fit: x and y differ in length');
    const weights = options.weights;
    if (weights && weights.length !== x.length)
      throw new RangeError('IsotonicRegression.fit: weights differ in length');
    const yMin = options.yMin ?? 0;
    const yMax = options.yMax ?? 1;
    const rows: number[] = [];
    for (let i = 0; i < x.length; i++) {
      const w = weights ? weights[i] : 1;
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i]) || !(w >= 0)) {
        throw new RangeError(`IsotonicRegression.fit: row ${i} is not finite`);
      }
      if (w > 0) rows.push(i);
    }
    if (rows.length === 0)
      throw new RangeError('IsotonicRegression.fit needs at least one row of positive weight');
    rows.sort((a, b) => x[a] - x[b] || y[a] - y[b]);

    const ux: number[] = [];
    const uy: number[] = [];
    const uw: number[] = [];
    for (const i of rows) {
      const w = weights ? weights[i] : 1;
      const last = ux.length - 1;
      // scikit-learn's _make_unique pools x closer than float64 resolution (1e-15)
      if (last >= 0 && x[i] - ux[last] < 1e-15) {
        uy[last] = (uy[last] * uw[last] + y[i] * w) / (uw[last] + w);
        uw[last] += w;
      } else {
        ux.push(x[i]);
        uy.push(y[i]);
        uw.push(w);
      }
    }
    const fitted = poolAdjacentViolators(uy, uw).map((v) => Math.min(yMax, Math.max(yMin, v)));
    const keepX: number[] = [];
    const keepY: number[] = [];
    for (let k = 0; k < ux.length; k++) {
      const interior = k > 0 && k < ux.length - 1;
      if (interior && fitted[k] === fitted[k - 1] && fitted[k] === fitted[k + 1]) continue;
      keepX.push(ux[k]);
      keepY.push(fitted[k]);
    }
    return new IsotonicRegression(keepX, keepY);
  }

  static fromJSON(state: IsotonicState): IsotonicRegression {
    const { x, y } = state;
    if (x.length === 0 || x.length !== y.length)
      throw new RangeError('IsotonicRegression.fromJSON: bad breakpoints');
    for (let k = 1; k < x.length; k++) {
      if (!(x[k] > x[k - 1]) || !(y[k] >= y[k - 1]))
        throw new RangeError('IsotonicRegression.fromJSON: not increasing');
    }
    return new IsotonicRegression([...x], [...y]);
  }

  toJSON(): IsotonicState {
    return { x: [...this.x], y: [...this.y] };
  }

  /** The fitted function at v: linear between breakpoints (numpy.interp), clamped outside them. */
  predict(v: number): number {
    const { x, y } = this;
    const last = x.length - 1;
    if (v <= x[0]) return y[0];
    if (v >= x[last]) return y[last];
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x[mid] <= v) lo = mid;
      else hi = mid;
    }
    const slope = (y[hi] - y[lo]) / (x[hi] - x[lo]);
    return y[lo] + slope * (v - x[lo]);
  }
}
