import {
  validateModelSpec,
  type DriftMethodName,
  type FeatureType,
  type ModelSpec,
  type ValidationResult,
} from '@driftline/contracts';
import { CATEGORICAL_METHODS, NUMERIC_METHODS } from '@driftline/stats';
import { DurationError, parseDuration, parseWindowSpec, WindowSpecError } from '@driftline/windowing';

const METHODS_BY_TYPE: Record<FeatureType, readonly DriftMethodName[]> = {
  numeric: NUMERIC_METHODS,
  categorical: CATEGORICAL_METHODS,
};

function windowReasons(spec: ModelSpec): string[] {
  try {
    parseWindowSpec(spec.window);
    return [];
  } catch (error) {
    if (error instanceof WindowSpecError) return [`/window/${error.message}`];
    throw error;
  }
}

function durationReasons(path: string, text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    parseDuration(text);
    return [];
  } catch (error) {
    if (error instanceof DurationError) return [`${path}: ${error.message}`];
    throw error;
  }
}

/** A method named for a feature declared with a type must be one that type supports. */
function methodReasons(spec: ModelSpec): string[] {
  const reasons: string[] = [];
  for (const [feature, method] of Object.entries(spec.methods ?? {})) {
    const type = spec.features?.[feature];
    if (type !== undefined && !METHODS_BY_TYPE[type].includes(method)) {
      reasons.push(
        `/methods/${feature}: ${method} does not apply to a ${type} feature (use one of ${METHODS_BY_TYPE[type].join(', ')})`,
      );
    }
  }
  return reasons;
}

/**
 * Checks a model spec the way the monitor will read it: its shape (every reason with its path),
 * then its durations, its window (size a whole number of steps) and its methods against the
 * declared feature types.
 */
export function checkModelSpec(input: unknown): ValidationResult<ModelSpec> {
  const shape = validateModelSpec(input);
  if (!shape.ok) return shape;
  const spec = shape.value;
  const reasons = [
    ...windowReasons(spec),
    ...durationReasons('/labelHorizon', spec.labelHorizon),
    ...methodReasons(spec),
  ];
  return reasons.length === 0 ? shape : { ok: false, errors: reasons };
}
