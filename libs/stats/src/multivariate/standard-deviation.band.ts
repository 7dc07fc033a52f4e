/** Thresholds around the mean of reference values. */
export interface ReconstructionBand {
  mean: number;
  sd: number;
  lower: number;
  upper: number;
}

/**
 * mean − lowerMultiplier·sd and mean + upperMultiplier·sd of the values, sd with ddof 0, as
 * NannyML's `StandardDeviationThreshold` (np.mean, np.std).
 */
export function standardDeviationBand(
  values: readonly number[],
  lowerMultiplier = 3,
  upperMultiplier = lowerMultiplier,
): ReconstructionBand {
  if (values.length === 0) throw new RangeError('standardDeviationBand needs values');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean, sd, lower: mean - lowerMultiplier * sd, upper: mean + upperMultiplier * sd };
}
