/** A histogram of the monitor's /metrics: cumulative counts at each bucket's upper bound (+Inf last). */
export interface HistogramBuckets {
  bounds: number[];
  cumulative: number[];
}

/** Where window rows' latency went while d ran, from the monitor's own histograms. */
export interface WindowDelays {
  /** Windows evaluated meanwhile. */
  count: number;
  /** Window end (event time) to the closing batch (driftline_window_close_delay_seconds), ms. */
  closeP50Ms: number | null;
  closeP99Ms: number | null;
  /** Closing batch to the evaluated row's commit (driftline_window_evaluation_delay_seconds), ms. */
  evaluationP50Ms: number | null;
  evaluationP99Ms: number | null;
}

export const CLOSE_DELAY = 'driftline_window_close_delay_seconds';
export const EVALUATION_DELAY = 'driftline_window_evaluation_delay_seconds';

/** The `name` histogram's buckets in a Prometheus text exposition (null when it has none). */
export function readHistogram(exposition: string, name: string): HistogramBuckets | null {
  const pattern = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\S+)$`, 'gm');
  const buckets = [...exposition.matchAll(pattern)].map((m) => ({
    bound: m[1] === '+Inf' ? Infinity : Number(m[1]),
    count: Number(m[2]),
  }));
  if (buckets.length === 0) return null;
  buckets.sort((a, b) => a.bound - b.bound);
  return { bounds: buckets.map((b) => b.bound), cumulative: buckets.map((b) => b.count) };
}

/**
 * The q-quantile of the observations made between two readings of one histogram, interpolated
 * linearly within its bucket as Prometheus' histogram_quantile does (the highest finite bound when
 * it falls in +Inf); null without observations.
 */
export function quantileBetween(
  before: HistogramBuckets | null,
  after: HistogramBuckets,
  q: number,
): number | null {
  const counts = after.cumulative.map((c, i) => c - (before?.cumulative[i] ?? 0));
  const total = counts[counts.length - 1];
  if (!(total > 0)) return null;
  const rank = q * total;
  const i = counts.findIndex((c) => c >= rank);
  const upper = after.bounds[i];
  if (upper === Infinity) return after.bounds[i - 1] ?? null;
  const lower = i === 0 ? 0 : after.bounds[i - 1];
  const below = i === 0 ? 0 : counts[i - 1];
  return lower + ((upper - lower) * (rank - below)) / (counts[i] - below);
}

/** The delays of the windows evaluated between two scrapes of /metrics. */
export function windowDelays(before: string, after: string): WindowDelays | null {
  const close = readHistogram(after, CLOSE_DELAY);
  const evaluation = readHistogram(after, EVALUATION_DELAY);
  if (close === null || evaluation === null) return null;
  const closeBefore = readHistogram(before, CLOSE_DELAY);
  const evaluationBefore = readHistogram(before, EVALUATION_DELAY);
  const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
  return {
    count: (close.cumulative.at(-1) ?? 0) - (closeBefore?.cumulative.at(-1) ?? 0),
    closeP50Ms: ms(quantileBetween(closeBefore, close, 0.5)),
    closeP99Ms: ms(quantileBetween(closeBefore, close, 0.99)),
    evaluationP50Ms: ms(quantileBetween(evaluationBefore, evaluation, 0.5)),
    evaluationP99Ms: ms(quantileBetween(evaluationBefore, evaluation, 0.99)),
  };
}
