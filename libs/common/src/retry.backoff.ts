export interface BackoffPolicy {
  /** Delay before the second attempt; doubles each attempt. */
  baseMs: number;
  /** Largest delay. */
  maxMs: number;
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): exponential with full jitter
 * (uniform in [0, min(max, base * 2^(attempt-1))]), so receivers recovering from an outage are not
 * hit by every sender at once. A `Retry-After` the receiver sent wins when it asks for longer.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs: number | null = null,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === null ? jittered : Math.max(jittered, retryAfterMs);
}

/** A `Retry-After` header (seconds or an HTTP date) in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
