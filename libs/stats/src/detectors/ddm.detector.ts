import { assertFiniteFields, DriftAndWarningDetector } from './detector.types';

export interface DdmOptions {
  /** Values seen before a warning or drift can be signalled. */
  warmStart?: number;
  /** Warning when p + s > p_min + warningThreshold · s_min. */
  warningThreshold?: number;
  /** Drift when p + s > p_min + driftThreshold · s_min. */
  driftThreshold?: number;
}

/** A DDM detector's tuning and running figures, as JSON. */
export interface DdmState extends Required<DdmOptions> {
  n: number;
  p: number;
  pMin: number;
  sMin: number;
  /** Null until the warm start is over. */
  psMin: number | null;
  warningDetected: boolean;
  driftDetected: boolean;
}

/**
 * Drift Detection Method (Gama, Medas, Castillo, Rodrigues: Learning with Drift Detection,
 * SBIA 2004), as River's `drift.binary.DDM`. Input is a stream of errors: 1 (or true) for a
 * wrong prediction, 0 for a right one. With p the error rate so far and s = sqrt(p(1−p)/n),
 * once n > warmStart the pair (p_min, s_min) is taken where p + s is smallest (ties move it),
 * a warning is raised when p + s > p_min + 2 s_min and a drift when p + s > p_min + 3 s_min.
 * Defaults are River's: warm start 30, thresholds 2 and 3.
 */
export class Ddm implements DriftAndWarningDetector {
  readonly warmStart: number;
  readonly warningThreshold: number;
  readonly driftThreshold: number;

  private n = 0;
  // The running mean as River's stats.Mean updates it, so ties in p + s fall as in River.
  private p = 0;
  private pMin = 0;
  private sMin = 0;
  private psMin = Infinity;
  private warning = false;
  private detected = false;

  constructor(options: DdmOptions = {}) {
    this.warmStart = options.warmStart ?? 30;
    this.warningThreshold = options.warningThreshold ?? 2.0;
    this.driftThreshold = options.driftThreshold ?? 3.0;
  }

  static fromJSON(state: DdmState): Ddm {
    const ddm = new Ddm(state);
    assertFiniteFields(state, ['n', 'p', 'pMin', 'sMin'], 'Ddm');
    if (state.psMin !== null && !Number.isFinite(state.psMin)) {
      throw new RangeError('Ddm.fromJSON: psMin is not a finite number');
    }
    ddm.n = state.n;
    ddm.p = state.p;
    ddm.pMin = state.pMin;
    ddm.sMin = state.sMin;
    ddm.psMin = state.psMin ?? Infinity;
    ddm.warning = state.warningDetected;
    ddm.detected = state.driftDetected;
    return ddm;
  }

  toJSON(): DdmState {
    return {
      warmStart: this.warmStart,
      warningThreshold: this.warningThreshold,
      driftThreshold: this.driftThreshold,
      n: this.n,
      p: this.p,
      pMin: this.pMin,
      sMin: this.sMin,
      psMin: Number.isFinite(this.psMin) ? this.psMin : null,
      warningDetected: this.warning,
      driftDetected: this.detected,
    };
  }

  get driftDetected(): boolean {
    return this.detected;
  }

  get warningDetected(): boolean {
    return this.warning;
  }

  /** Error rate since the last reset. */
  get errorRate(): number {
    return this.p;
  }

  update(x: number | boolean): boolean {
    const error = typeof x === 'boolean' ? Number(x) : x;
    if (error !== 0 && error !== 1) throw new RangeError(`Ddm.update needs 0 or 1, got ${x}`);
    if (this.detected) this.reset();
    this.n += 1;
    this.p += (error - this.p) / this.n;
    const p = this.p;
    const s = Math.sqrt((p * (1 - p)) / this.n);
    if (this.n > this.warmStart) {
      if (p + s <= this.psMin) {
        this.pMin = p;
        this.sMin = s;
        this.psMin = p + s;
      }
      this.warning = p + s > this.pMin + this.warningThreshold * this.sMin;
      if (p + s > this.pMin + this.driftThreshold * this.sMin) {
        this.detected = true;
        this.warning = false;
      }
    }
    return this.detected;
  }

  reset(): void {
    this.n = 0;
    this.p = 0;
    this.pMin = 0;
    this.sMin = 0;
    this.psMin = Infinity;
    this.warning = false;
    this.detected = false;
  }
}
