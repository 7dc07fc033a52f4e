import { formatDuration } from '@driftline/windowing';
import { backoffDelay, parseRetryAfter, type BackoffPolicy } from '@driftline/common';

/** The last trigger recorded for delivery to a pipeline for one model, epoch ms. */
export interface LastTrigger {
  triggerId: string;
  triggeredAt: number;
}

export type CooldownDecision = { deliver: true } | { deliver: false; reason: string };

/**
 * A trigger less than `cooldownMs` from the last one recorded for the same model and pipeline is
 * skipped, whichever came first (triggers may be consumed out of their creation order), so one
 * drift episode retrains once. Times are the triggers' `createdAt`: a replay decides the same.
 */
export function decideCooldown(
  last: LastTrigger | null,
  triggeredAt: number,
  cooldownMs: number,
): CooldownDecision {
  if (last === null || Math.abs(triggeredAt - last.triggeredAt) >= cooldownMs) return { deliver: true };
  return {
    deliver: false,
    reason: `cooldown: within ${formatDuration(cooldownMs)} of trigger ${last.triggerId}`,
  };
}

/** What one POST came back with: an HTTP answer, or no answer (connection error, timeout). */
export type SendOutcome =
  | { kind: 'response'; status: number; retryAfter: string | null; body: string }
  | { kind: 'error'; message: string };

export type AttemptDecision =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; at: number; problem: string }
  | { outcome: 'failed'; reason: string };

/** Server errors, 408 Request Timeout and 429 Too Many Requests may succeed later; other answers will not. */
export function isRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** The answer in a few words for the log: the status and the start of the body. */
export function describeOutcome(sent: SendOutcome): string {
  if (sent.kind === 'error') return sent.message;
  const body = sent.body.trim().slice(0, 200);
  return body === '' ? `HTTP ${sent.status}` : `HTTP ${sent.status}: ${body}`;
}

/**
 * What follows attempt `attempt` (from 1) of a delivery due by `deadline` (epoch ms): 2xx is
 * delivered; 5xx, 408, 429 and no answer are retried after backoffDelay (full jitter, a longer
 * Retry-After wins) while the deadline allows, the last attempt at the deadline itself; any other
 * answer (a 4xx, a redirect) fails at once.
 */
export function decideAttempt(
  sent: SendOutcome,
  attempt: number,
  now: number,
  deadline: number,
  backoff: BackoffPolicy,
  random: () => number = Math.random,
): AttemptDecision {
  if (sent.kind === 'response' && sent.status >= 200 && sent.status < 300) return { outcome: 'delivered' };
  const problem = describeOutcome(sent);
  if (sent.kind === 'response' && !isRetryable(sent.status)) {
    return { outcome: 'failed', reason: `${problem} (not retried)` };
  }
  if (now >= deadline) {
    return { outcome: 'failed', reason: `deadline passed after ${attempt} attempts; last: ${problem}` };
  }
  const retryAfterMs = sent.kind === 'response' ? parseRetryAfter(sent.retryAfter, now) : null;
  if (retryAfterMs !== null && now + retryAfterMs > deadline) {
    return {
      outcome: 'failed',
      reason: `the receiver asked to wait past the deadline (Retry-After ${retryAfterMs} ms); last: ${problem}`,
    };
  }
  const at = Math.min(now + backoffDelay(attempt, backoff, retryAfterMs, random), deadline);
  return { outcome: 'retry', at, problem };
}
