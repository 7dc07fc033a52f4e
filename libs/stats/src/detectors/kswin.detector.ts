import { ksTest } from '../drift/numeric.methods';
import { Random, RandomState } from '../random';
import { assertFinite, assertFiniteFields, DriftDetector } from './detector.types';

export interface KswinOptions {
  /** p-value at or below which (with a statistic above 0.1) a drift is signalled. */
  alpha?: number;
  /** Length of the sliding window. */
  windowSize?: number;
  /** Length of the most recent part, and of the sample drawn from the older part. */
  statSize?: number;
  /** Seed of the sampling of the older part. */
  seed?: number;
  /** Values to start the window with, oldest first (River's `window`). */
  window?: readonly number[];
}

/** A KSWIN detector's tuning, window and sampler position, as JSON. */
export interface KswinState {
  alpha: number;
  windowSize: number;
  statSize: number;
  seed: number;
  values: number[];
  rng: RandomState;
  pValue: number;
  statistic: number;
  driftDetected: boolean;
}

/**
 * KSWIN, Kolmogorov–Smirnov windowing (Raab, Heusinger, Schleif: Reactive Soft Prototype
 * Computing for Concept Drift Streams, Neurocomputing 2020), as River's `drift.KSWIN`. Once the
 * window holds `windowSize` values, its last `statSize` values are compared with `statSize`
 * values drawn without replacement from the rest by the two-sample KS test (exact p-value, as
 * `scipy.stats.ks_2samp(method="auto")` at these sizes); a drift when p <= alpha and D > 0.1.
 * As in River, the update after a detection starts from an empty window and a reseeded sampler.
 * Defaults: River's alpha 0.005, window 100, stat size 30; seed 42 (River's is unseeded).
 */
export class Kswin implements DriftDetector {
  readonly alpha: number;
  readonly windowSize: number;
  readonly statSize: number;
  readonly seed: number;

  private values: number[] = [];
  private rng: Random;
  private lastPValue = 0;
  private lastStatistic = 0;
  private detected = false;

  constructor(options: KswinOptions = {}) {
    this.alpha = options.alpha ?? 0.005;
    this.windowSize = options.windowSize ?? 100;
    this.statSize = options.statSize ?? 30;
    this.seed = options.seed ?? 42;
    if (!(this.alpha >= 0 && this.alpha <= 1)) throw new RangeError('Kswin: alpha must lie in [0, 1]');
    if (!(Number.isInteger(this.windowSize) && this.windowSize > 0)) {
      throw new RangeError('Kswin: windowSize must be a positive integer');
    }
    if (!(Number.isInteger(this.statSize) && this.statSize > 0 && this.statSize < this.windowSize)) {
      throw new RangeError('Kswin: statSize must be a positive integer below windowSize');
    }
    this.rng = new Random(this.seed);
    if (options.window) {
      options.window.forEach((x) => assertFinite(x, 'Kswin'));
      this.values = options.window.slice(-this.windowSize);
    }
  }

  static fromJSON(state: KswinState): Kswin {
    const kswin = new Kswin(state);
    assertFiniteFields(state, ['pValue', 'statistic'], 'Kswin');
    if (state.values.length > state.windowSize || !state.values.every(Number.isFinite)) {
      throw new RangeError('Kswin.fromJSON: bad window');
    }
    kswin.values = [...state.values];
    kswin.rng = Random.fromJSON(state.rng);
    kswin.lastPValue = state.pValue;
    kswin.lastStatistic = state.statistic;
    kswin.detected = state.driftDetected;
    return kswin;
  }

  toJSON(): KswinState {
    return {
      alpha: this.alpha,
      windowSize: this.windowSize,
      statSize: this.statSize,
      seed: this.seed,
      values: [...this.values],
      rng: this.rng.toJSON(),
      pValue: this.lastPValue,
      statistic: this.lastStatistic,
      driftDetected: this.detected,
    };
  }

  get driftDetected(): boolean {
    return this.detected;
  }

  /** p-value of the last test (0 before the window first fills, as River). */
  get pValue(): number {
    return this.lastPValue;
  }

  /** KS statistic D of the last test. */
  get statistic(): number {
    return this.lastStatistic;
  }

  update(x: number): boolean {
    assertFinite(x, 'Kswin');
    if (this.detected) this.reset();
    this.values.push(x);
    if (this.values.length > this.windowSize) this.values.shift();
    this.detected = false;
    if (this.values.length < this.windowSize) return false;

    const older = this.windowSize - this.statSize;
    const sample = this.sampleIndices(older).map((i) => this.values[i]);
    const recent = this.values.slice(older);
    const { statistic, pValue } = ksTest(sample, recent);
    if (statistic === null) throw new Error('Kswin: the KS test gave no statistic');
    this.lastStatistic = statistic;
    this.lastPValue = pValue;
    this.detected = pValue <= this.alpha && statistic > 0.1;
    return this.detected;
  }

  reset(): void {
    this.values = [];
    this.rng = new Random(this.seed);
    this.lastPValue = 0;
    this.lastStatistic = 0;
    this.detected = false;
  }

  /** statSize distinct indices of [0, population), by a partial Fisher–Yates shuffle. */
  private sampleIndices(population: number): number[] {
    const pool = Array.from({ length: population }, (_, i) => i);
    for (let i = 0; i < this.statSize; i++) {
      const j = i + this.rng.int(population - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, this.statSize);
  }
}
