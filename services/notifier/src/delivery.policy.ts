import { backoffDelay, type BackoffPolicy } from '@driftline/common';

/** What a channel's receiver answered one attempt. */
export type SendResult =
  | { ok: true; httpStatus: number | null }
  | {
      ok: false;
      /** false: sending again cannot help (bad token, unknown channel, 4xx); the notification fails now. */
      retryable: boolean;
      error: string;
      httpStatus: number | null;
      /** The receiver's Retry-After, in ms. */
      retryAfterMs: number | null;
    };

export type AttemptDecision =
  { outcome: 'sent' } | { outcome: 'retry'; nextAttemptAt: number } | { outcome: 'failed'; reason: string };

/**
 * After attempt `attempt`: sent, retried after the backoff (exponential, full jitter, a longer
 * Retry-After wins), or failed, when the error is permanent or the next attempt would start past
 * the deadline.
 */
export function decideAfterAttempt(
  result: SendResult,
  attempt: number,
  deadlineAt: number,
  now: number,
  backoff: BackoffPolicy,
  random: () => number = Math.random,
): AttemptDecision {
  if (result.ok) return { outcome: 'sent' };
  if (!result.retryable) return { outcome: 'failed', reason: result.error };
  const nextAttemptAt = now + backoffDelay(attempt, backoff, result.retryAfterMs, random);
  if (nextAttemptAt > deadlineAt) {
    return {
      outcome: 'failed',
      reason: `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'} at the delivery deadline: ${result.error}`,
    };
  }
  return { outcome: 'retry', nextAttemptAt };
}

/** HTTP statuses worth trying again: timeouts, too early, rate limits and server errors. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
