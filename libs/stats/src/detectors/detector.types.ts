/**
 * An online drift detector in the River style (river.base.DriftDetector): feed one value at a
 * time; `driftDetected` tells whether that value completed a change. The next update after a
 * detection starts the detector afresh, as River does.
 */
export interface DriftDetector {
  readonly driftDetected: boolean;
  /** Adds one value; returns `driftDetected`. */
  update(x: number): boolean;
}

/** A detector that also signals a warning zone before a drift (River's DriftAndWarningDetector). */
export interface DriftAndWarningDetector extends DriftDetector {
  readonly warningDetected: boolean;
}

export function assertFinite(x: number, detector: string): void {
  if (!Number.isFinite(x)) throw new RangeError(`${detector}.update needs a finite number, got ${x}`);
}

/** Throws unless every named field of a restored state is a finite number. */
export function assertFiniteFields<T extends object>(
  state: T,
  keys: readonly (keyof T)[],
  detector: string,
): void {
  for (const key of keys) {
    const v = state[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${detector}.fromJSON: ${String(key)} is not a finite number`);
    }
  }
}
