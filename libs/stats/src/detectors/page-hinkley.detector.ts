import { assertFinite, assertFiniteFields, DriftDetector } from './detector.types';

export type PageHinkleyMode = 'up' | 'down' | 'both';

export interface PageHinkleyOptions {
  /** Values seen before a drift can be signalled. */
  minInstances?: number;
  /** Magnitude of change tolerated (the test's delta). */
  delta?: number;
  /** Detection threshold (lambda). */
  threshold?: number;
  /** Forgetting factor applied to the cumulative sums. */
  alpha?: number;
  /** Watch increases of the mean, decreases, or both. */
  mode?: PageHinkleyMode;
}

/** A Page-Hinkley detector's tuning and running sums, as JSON. */
export interface PageHinkleyState extends Required<PageHinkleyOptions> {
  n: number;
  mean: number;
  sumIncrease: number;
  sumDecrease: number;
  /** Null before the first value. */
  minIncrease: number | null;
  maxDecrease: number;
  driftDetected: boolean;
}

/**
 * Page-Hinkley test for a change in the mean (Page 1954), as River's `drift.PageHinkley`:
 * with x̄_t the running mean including x_t,
 *   U_t = alpha·U_{t-1} + (x_t − x̄_t − delta),  test_up   = U_t − min_{s<=t} U_s
 *   L_t = alpha·L_{t-1} + (x_t − x̄_t + delta),  test_down = max(−1, max_{s<=t} L_s) − L_t
 * and a drift when n >= minInstances and the watched test exceeds `threshold`.
 * Defaults are River's: 30, 0.005, 50, 0.9999, "both".
 */
export class PageHinkley implements DriftDetector {
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: PageHinkleyMode;

  private n = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Infinity;
  // River starts the running maximum at -1, not at -infinity; kept so indices match River's.
  private maxDecrease = -1;
  private detected = false;

  constructor(options: PageHinkleyOptions = {}) {
    this.minInstances = options.minInstances ?? 30;
    this.delta = options.delta ?? 0.005;
    this.threshold = options.threshold ?? 50;
    this.alpha = options.alpha ?? 1 - 0.0001;
    this.mode = options.mode ?? 'both';
    if (!['up', 'down', 'both'].includes(this.mode))
      throw new RangeError(`PageHinkley: unknown mode ${this.mode}`);
  }

  static fromJSON(state: PageHinkleyState): PageHinkley {
    const ph = new PageHinkley(state);
    assertFiniteFields(state, ['n', 'mean', 'sumIncrease', 'sumDecrease', 'maxDecrease'], 'PageHinkley');
    if (state.minIncrease !== null && !Number.isFinite(state.minIncrease)) {
      throw new RangeError('PageHinkley.fromJSON: minIncrease is not a finite number');
    }
    ph.n = state.n;
    ph.mean = state.mean;
    ph.sumIncrease = state.sumIncrease;
    ph.sumDecrease = state.sumDecrease;
    ph.minIncrease = state.minIncrease ?? Infinity;
    ph.maxDecrease = state.maxDecrease;
    ph.detected = state.driftDetected;
    return ph;
  }

  toJSON(): PageHinkleyState {
    return {
      minInstances: this.minInstances,
      delta: this.delta,
      threshold: this.threshold,
      alpha: this.alpha,
      mode: this.mode,
      n: this.n,
      mean: this.mean,
      sumIncrease: this.sumIncrease,
      sumDecrease: this.sumDecrease,
      minIncrease: Number.isFinite(this.minIncrease) ? this.minIncrease : null,
      maxDecrease: this.maxDecrease,
      driftDetected: this.detected,
    };
  }

  get driftDetected(): boolean {
    return this.detected;
  }

  /** U_t − min U (the statistic for an increase of the mean). */
  get increaseStatistic(): number {
    return this.n === 0 ? 0 : this.sumIncrease - this.minIncrease;
  }

  /** max L − L_t (the statistic for a decrease of the mean). */
  get decreaseStatistic(): number {
    return this.n === 0 ? 0 : this.maxDecrease - this.sumDecrease;
  }

  update(x: number): boolean {
    assertFinite(x, 'PageHinkley');
    if (this.detected) this.reset();
    this.n += 1;
    this.mean += (x - this.mean) / this.n;
    const deviation = x - this.mean;
    this.sumIncrease = this.alpha * this.sumIncrease + deviation - this.delta;
    this.sumDecrease = this.alpha * this.sumDecrease + deviation + this.delta;
    this.minIncrease = Math.min(this.minIncrease, this.sumIncrease);
    this.maxDecrease = Math.max(this.maxDecrease, this.sumDecrease);
    if (this.n >= this.minInstances) {
      const up = this.increaseStatistic > this.threshold;
      const down = this.decreaseStatistic > this.threshold;
      this.detected = this.mode === 'up' ? up : this.mode === 'down' ? down : up || down;
    }
    return this.detected;
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Infinity;
    this.maxDecrease = -1;
    this.detected = false;
  }
}
