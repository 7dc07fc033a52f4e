import { backoffDelay, type BackoffPolicy } from '@driftline/common';
import type { DriftlineEvent, EventKind } from './event.kinds';
import type { EventTransport, FailedOutcome } from './send.outcome';

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
}

export type BatchResult =
  | { ok: true; attempts: number }
  | {
      ok: false;
      reason: 'rejected' | 'retries_exhausted' | 'abandoned';
      attempts: number;
      last: FailedOutcome;
    };

export interface RetryControls {
  /** Waits `ms`; tests pass one that does not. */
  sleep: (ms: number) => Promise<void>;
  /** Asked before each retry: true gives the batch up (the client's close deadline passed). */
  stop?: () => boolean;
  random?: () => number;
}

/** A timer that never keeps the process alive on its own: the client's flush and close do that. */
export const unrefSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms).unref());

/**
 * Sends one batch, retrying what is worth retrying with exponential backoff and full jitter
 * (honouring a Retry-After), up to `maxAttempts`. An answer that is not worth retrying (a 400, a
 * 401) ends it at once as `rejected`.
 */
export async function sendWithRetries(
  transport: EventTransport,
  kind: EventKind,
  events: readonly DriftlineEvent[],
  policy: RetryPolicy,
  controls: RetryControls,
): Promise<BatchResult> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await transport.send(kind, events).catch((error: unknown): FailedOutcome => ({
      ok: false,
      retryable: true,
      retryAfterMs: null,
      message: String(error),
    }));
    if (outcome.ok) return { ok: true, attempts: attempt };
    if (!outcome.retryable) return { ok: false, reason: 'rejected', attempts: attempt, last: outcome };
    if (attempt >= policy.maxAttempts) {
      return { ok: false, reason: 'retries_exhausted', attempts: attempt, last: outcome };
    }
    if (controls.stop?.()) return { ok: false, reason: 'abandoned', attempts: attempt, last: outcome };
    await controls.sleep(backoffDelay(attempt, policy, outcome.retryAfterMs, controls.random));
    if (controls.stop?.()) return { ok: false, reason: 'abandoned', attempts: attempt, last: outcome };
  }
}
