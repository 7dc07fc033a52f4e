import { decideAfterAttempt, retryableStatus, type SendResult } from './delivery.policy';

const backoff = { baseMs: 1000, maxMs: 60_000 };
const now = 1_000_000;
const failure = (overrides: Partial<Extract<SendResult, { ok: false }>> = {}): SendResult => ({
  ok: false,
  retryable: true,
  error: 'HTTP 503',
  httpStatus: 503,
  retryAfterMs: null,
  ...overrides,
});

describe('decideAfterAttempt', () => {
  it('marks an accepted attempt sent', () => {
    expect(decideAfterAttempt({ ok: true, httpStatus: 200 }, 1, now + 1000, now, backoff)).toEqual({
      outcome: 'sent',
    });
  });

  it('fails at once on a permanent error', () => {
    expect(
      decideAfterAttempt(
        failure({ retryable: false, error: 'slack: channel_not_found' }),
        1,
        now + 3_600_000,
        now,
        backoff,
      ),
    ).toEqual({
      outcome: 'failed',
      reason: 'slack: channel_not_found',
    });
  });

  it.each([
    // attempt, random, expected delay: full jitter below base * 2^(attempt-1), capped at max
    [1, 0.5, 500],
    [3, 0.5, 2000],
    [10, 0.99, 59_400],
  ])('retries attempt %i after the jittered backoff (random %f → %i ms)', (attempt, random, delay) => {
    expect(decideAfterAttempt(failure(), attempt, now + 3_600_000, now, backoff, () => random)).toEqual({
      outcome: 'retry',
      nextAttemptAt: now + delay,
    });
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(
      decideAfterAttempt(failure({ retryAfterMs: 30_000 }), 1, now + 3_600_000, now, backoff, () => 0.5),
    ).toEqual({
      outcome: 'retry',
      nextAttemptAt: now + 30_000,
    });
  });

  it('gives up when the next attempt would start past the deadline', () => {
    expect(decideAfterAttempt(failure({ retryAfterMs: 30_000 }), 4, now + 10_000, now, backoff)).toEqual({
      outcome: 'failed',
      reason: 'gave up after 4 attempts at the delivery deadline: HTTP 503',
    });
  });
});

describe('retryableStatus', () => {
  it.each([
    [408, true],
    [425, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
    [302, false],
  ])('%i → %s', (status, retryable) => expect(retryableStatus(status)).toBe(retryable));
});
