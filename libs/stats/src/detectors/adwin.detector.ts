import { assertFinite, assertFiniteFields, DriftDetector } from './detector.types';

export interface AdwinOptions {
  /** Confidence value: smaller means fewer false alarms and slower detection. */
  delta?: number;
  /** Check for a change every `clock` values. */
  clock?: number;
  /** Buckets of each size kept before the two oldest are merged. */
  maxBuckets?: number;
  /** Smallest length of either sub-window of a cut. */
  minWindowLength?: number;
  /** No check before the window holds more than this many values. */
  gracePeriod?: number;
}

/** The buckets of one size 2^row, oldest first: their sums and their within-bucket variances (sums of squares). */
export interface AdwinBucketRow {
  totals: number[];
  variances: number[];
}

/** An ADWIN detector's tuning and bucket histogram, as JSON. */
export interface AdwinState extends Required<AdwinOptions> {
  rows: AdwinBucketRow[];
  tick: number;
  total: number;
  variance: number;
  width: number;
  nDetections: number;
  driftDetected: boolean;
}

/**
 * ADWIN, adaptive windowing (Bifet and Gavaldà, Learning from Time-Changing Data with Adaptive
 * Windowing, SDM 2007), as River's `drift.ADWIN` (adwin_c.pyx). The window is kept as an
 * exponential histogram of buckets; every `clock` values each bucket boundary splits the window
 * into an older W0 (n0 values) and a newer W1 (n1), and a change is found when both hold at least
 * `minWindowLength` values and |mean(W0) − mean(W1)| > ε with
 *   m' = 1/(n0 − minWindowLength + 1) + 1/(n1 − minWindowLength + 1),
 *   δ' = ln(2 ln(n) / delta),  ε = sqrt(2 m' σ² δ') + (2/3) δ' m',  σ² = window variance.
 * The oldest bucket is then dropped and the cuts checked again. Defaults are River's: delta
 * 0.002, clock 32, 5 buckets per size, sub-windows of at least 5, grace period 10. As in River,
 * the update after a detection starts from an empty window.
 */
export class Adwin implements DriftDetector {
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;

  private rows: AdwinBucketRow[] = [];
  private tick = 0;
  private windowTotal = 0;
  private windowVariance = 0;
  private windowWidth = 0;
  private detections = 0;
  private detected = false;

  constructor(options: AdwinOptions = {}) {
    this.delta = options.delta ?? 0.002;
    this.clock = options.clock ?? 32;
    this.maxBuckets = options.maxBuckets ?? 5;
    this.minWindowLength = options.minWindowLength ?? 5;
    this.gracePeriod = options.gracePeriod ?? 10;
    if (!(this.delta > 0 && this.delta < 1))
      throw new RangeError(`Adwin: delta must lie in (0, 1), got ${this.delta}`);
    if (!(Number.isInteger(this.clock) && this.clock >= 1))
      throw new RangeError('Adwin: clock must be a positive integer');
    if (!(Number.isInteger(this.maxBuckets) && this.maxBuckets >= 2)) {
      throw new RangeError('Adwin: maxBuckets must be an integer >= 2');
    }
    this.reset();
  }

  static fromJSON(state: AdwinState): Adwin {
    const adwin = new Adwin(state);
    assertFiniteFields(state, ['tick', 'total', 'variance', 'width', 'nDetections'], 'Adwin');
    const rowsOk =
      state.rows.length >= 1 &&
      state.rows.every(
        (row) =>
          row.totals.length === row.variances.length &&
          row.totals.length <= state.maxBuckets + 1 &&
          [...row.totals, ...row.variances].every(Number.isFinite),
      );
    if (!rowsOk) throw new RangeError('Adwin.fromJSON: bad bucket rows');
    adwin.rows = state.rows.map((row) => ({ totals: [...row.totals], variances: [...row.variances] }));
    adwin.tick = state.tick;
    adwin.windowTotal = state.total;
    adwin.windowVariance = state.variance;
    adwin.windowWidth = state.width;
    adwin.detections = state.nDetections;
    adwin.detected = state.driftDetected;
    return adwin;
  }

  toJSON(): AdwinState {
    return {
      delta: this.delta,
      clock: this.clock,
      maxBuckets: this.maxBuckets,
      minWindowLength: this.minWindowLength,
      gracePeriod: this.gracePeriod,
      rows: this.rows.map((row) => ({ totals: [...row.totals], variances: [...row.variances] })),
      tick: this.tick,
      total: this.windowTotal,
      variance: this.windowVariance,
      width: this.windowWidth,
      nDetections: this.detections,
      driftDetected: this.detected,
    };
  }

  get driftDetected(): boolean {
    return this.detected;
  }

  /** Number of values in the current window. */
  get width(): number {
    return this.windowWidth;
  }

  /** Sum of the values in the window. */
  get total(): number {
    return this.windowTotal;
  }

  /** Sum of squared deviations from the window mean (not divided by the width, as River). */
  get variance(): number {
    return this.windowVariance;
  }

  /** Mean of the window (0 when empty). */
  get estimation(): number {
    return this.windowWidth === 0 ? 0 : this.windowTotal / this.windowWidth;
  }

  /** Checks that found a change since the last reset (a detection may drop several buckets). */
  get nDetections(): number {
    return this.detections;
  }

  update(x: number): boolean {
    assertFinite(x, 'Adwin');
    if (this.detected) this.reset();
    this.insert(x);
    this.detected = this.detectChange();
    return this.detected;
  }

  reset(): void {
    this.rows = [{ totals: [], variances: [] }];
    this.tick = 0;
    this.windowTotal = 0;
    this.windowVariance = 0;
    this.windowWidth = 0;
    this.detections = 0;
    this.detected = false;
  }

  private insert(x: number): void {
    this.rows[0].totals.push(x);
    this.rows[0].variances.push(0);
    this.windowWidth += 1;
    if (this.windowWidth > 1) {
      const d = x - this.windowTotal / (this.windowWidth - 1);
      this.windowVariance += ((this.windowWidth - 1) * d * d) / this.windowWidth;
    }
    this.windowTotal += x;
    this.compress();
  }

  private compress(): void {
    for (let row = 0; row < this.rows.length; row++) {
      const bucket = this.rows[row];
      if (bucket.totals.length !== this.maxBuckets + 1) return;
      if (row + 1 === this.rows.length) this.rows.push({ totals: [], variances: [] });
      const next = this.rows[row + 1];
      const size = 2 ** row;
      const [t1, t2] = bucket.totals.splice(0, 2);
      const [v1, v2] = bucket.variances.splice(0, 2);
      const dm = t1 / size - t2 / size;
      next.totals.push(t1 + t2);
      next.variances.push(v1 + v2 + size * 0.5 * dm * dm);
      if (next.totals.length <= this.maxBuckets) return;
    }
  }

  private deleteOldest(): number {
    const row = this.rows.length - 1;
    const bucket = this.rows[row];
    const n = 2 ** row;
    const u = bucket.totals[0];
    const v = bucket.variances[0];
    this.windowWidth -= n;
    this.windowTotal -= u;
    const d = u / n - this.windowTotal / this.windowWidth;
    this.windowVariance -= v + (n * this.windowWidth * d * d) / (n + this.windowWidth);
    bucket.totals.shift();
    bucket.variances.shift();
    if (bucket.totals.length === 0) this.rows.pop();
    return n;
  }

  private detectChange(): boolean {
    let changed = false;
    this.tick += 1;
    if (this.tick % this.clock !== 0 || this.windowWidth <= this.gracePeriod) return false;
    let reduce = true;
    while (reduce) {
      reduce = false;
      let n0 = 0;
      let n1 = this.windowWidth;
      let u0 = 0;
      let u1 = this.windowTotal;
      scan: for (let row = this.rows.length - 1; row >= 0; row--) {
        const bucket = this.rows[row];
        const size = 2 ** row;
        for (let k = 0; k < bucket.totals.length; k++) {
          n0 += size;
          n1 -= size;
          u0 += bucket.totals[k];
          u1 -= bucket.totals[k];
          if (row === 0 && k === bucket.totals.length - 1) break scan;
          if (
            n1 >= this.minWindowLength &&
            n0 >= this.minWindowLength &&
            this.cutHolds(n0, n1, u0 / n0 - u1 / n1)
          ) {
            reduce = true;
            changed = true;
            if (this.windowWidth > 0) this.deleteOldest();
            break scan;
          }
        }
      }
    }
    if (changed) this.detections += 1;
    return changed;
  }

  private cutHolds(n0: number, n1: number, deltaMean: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.windowWidth)) / this.delta);
    const mRecip = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
    const epsilon =
      Math.sqrt(2 * mRecip * (this.windowVariance / this.windowWidth) * deltaPrime) +
      (2 / 3) * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }
}
