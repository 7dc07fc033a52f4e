import { DurationError, parseDuration } from './duration.parser';

/** A sliding window over event time, all durations in milliseconds. */
export interface WindowSpec {
  /** Length of a window; a positive multiple of `step`. */
  readonly size: number;
  /** Length of a pane and the slide between consecutive windows. */
  readonly step: number;
  /** How far behind the newest event time an event may be and still count. */
  readonly allowedLateness: number;
  /** Wall-clock quiet time after which windows close without a newer event (absent: never). */
  readonly idleTimeout?: number;
  /** Whether a window with no events is still emitted, once the key has emitted one before. */
  readonly emitEmpty: boolean;
  /**
   * How far past wall-clock `now` an event time may be (absent: any). One event stamped by a
   * wrong clock years ahead would otherwise close every window of its key and make all that
   * follow late.
   */
  readonly maxClockSkew?: number;
}

/** A window as configured: durations as text ("5m") or milliseconds. */
export interface WindowSpecInput {
  size: string | number;
  step: string | number;
  allowedLateness?: string | number;
  idleTimeout?: string | number;
  emitEmpty?: boolean;
  maxClockSkew?: string | number;
}

export class WindowSpecError extends Error {
  override readonly name = 'WindowSpecError';
  constructor(
    readonly field: keyof WindowSpecInput,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export function parseWindowSpec(input: WindowSpecInput): WindowSpec {
  const step = duration(input, 'step');
  const size = duration(input, 'size');
  const allowedLateness = input.allowedLateness === undefined ? 0 : duration(input, 'allowedLateness');
  const idleTimeout = input.idleTimeout === undefined ? undefined : duration(input, 'idleTimeout');
  if (step <= 0) throw new WindowSpecError('step', 'must be positive.');
  if (size <= 0) throw new WindowSpecError('size', 'must be positive.');
  if (size % step !== 0) {
    throw new WindowSpecError('size', `${size} ms is not a whole number of steps of ${step} ms.`);
  }
  if (idleTimeout !== undefined && idleTimeout <= 0) {
    throw new WindowSpecError(
      'idleTimeout',
      'must be positive; leave it out to close windows on event time only.',
    );
  }
  const emitEmpty = input.emitEmpty ?? false;
  if (typeof emitEmpty !== 'boolean') throw new WindowSpecError('emitEmpty', 'must be true or false.');
  const maxClockSkew = input.maxClockSkew === undefined ? undefined : duration(input, 'maxClockSkew');
  return {
    size,
    step,
    allowedLateness,
    ...(idleTimeout === undefined ? {} : { idleTimeout }),
    emitEmpty,
    ...(maxClockSkew === undefined ? {} : { maxClockSkew }),
  };
}

function duration(input: WindowSpecInput, field: Exclude<keyof WindowSpecInput, 'emitEmpty'>): number {
  const value = input[field];
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new WindowSpecError(field, `${value} is not a non-negative integer number of milliseconds.`);
    }
    return value;
  }
  if (typeof value !== 'string') throw new WindowSpecError(field, 'is required, e.g. "5m".');
  try {
    return parseDuration(value);
  } catch (error) {
    if (error instanceof DurationError) throw new WindowSpecError(field, error.message);
    throw error;
  }
}
