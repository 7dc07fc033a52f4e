import { decideAttempt, decideCooldown, type SendOutcome } from './delivery.rules';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 1, 12);

describe('decideCooldown', () => {
  const last = { triggerId: 't-1', triggeredAt: T0 };

  it.each([
    ['no earlier trigger', null, T0, 6 * HOUR, true],
    ['a trigger 1 h after the last, cooldown 6 h', last, T0 + HOUR, 6 * HOUR, false],
    ['a trigger just inside the cooldown', last, T0 + 6 * HOUR - 1, 6 * HOUR, false],
    ['a trigger exactly one cooldown later', last, T0 + 6 * HOUR, 6 * HOUR, true],
    ['a trigger created before the last one, within the cooldown', last, T0 - HOUR, 6 * HOUR, false],
    ['a trigger created long before the last one', last, T0 - 7 * HOUR, 6 * HOUR, true],
    ['cooldown 0: every trigger', last, T0, 0, true],
  ])('%s', (_, previous, at, cooldownMs, deliver) => {
    expect(decideCooldown(previous, at, cooldownMs).deliver).toBe(deliver);
  });

  it('says which trigger holds the cooldown', () => {
    expect(decideCooldown(last, T0 + HOUR, 6 * HOUR)).toEqual({
      deliver: false,
      reason: 'cooldown: within 6h of trigger t-1',
    });
  });
});

describe('decideAttempt', () => {
  const backoff = { baseMs: 1000, maxMs: 60_000 };
  const response = (status: number, retryAfter: string | null = null): SendOutcome => ({
    kind: 'response',
    status,
    retryAfter,
    body: status >= 400 ? 'boom' : '',
  });
  const noAnswer: SendOutcome = { kind: 'error', message: 'fetch failed: ECONNREFUSED' };
  const deadline = T0 + 24 * HOUR;
  // random() = 0.5: half of the exponential ceiling
  const decide = (sent: SendOutcome, attempt: number, now = T0, until = deadline) =>
    decideAttempt(sent, attempt, now, until, backoff, () => 0.5);

  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [204, 'delivered'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [400, 'failed'],
    [401, 'failed'],
    [404, 'failed'],
    [410, 'failed'],
    [422, 'failed'],
    [301, 'failed'],
  ])('HTTP %i: %s', (status, outcome) => {
    expect(decide(response(status), 1).outcome).toBe(outcome);
  });

  it('retries when there is no answer at all', () => {
    expect(decide(noAnswer, 1)).toEqual({
      outcome: 'retry',
      at: T0 + 500,
      problem: 'fetch failed: ECONNREFUSED',
    });
  });

  it('backs off exponentially with jitter, up to the largest delay', () => {
    const delays = [1, 2, 3, 4, 10].map((attempt) => {
      const decision = decide(response(503), attempt);
      return decision.outcome === 'retry' ? decision.at - T0 : NaN;
    });
    expect(delays).toEqual([500, 1000, 2000, 4000, 30_000]);
  });

  it('waits as long as Retry-After asks when that is longer than the backoff', () => {
    expect(decide(response(429, '120'), 1)).toMatchObject({ outcome: 'retry', at: T0 + 120_000 });
    const date = new Date(T0 + 90_000).toUTCString();
    expect(decide(response(503, date), 1)).toMatchObject({ outcome: 'retry', at: T0 + 90_000 });
    // shorter than the backoff: the backoff wins
    expect(decide(response(503, '0'), 2)).toMatchObject({ outcome: 'retry', at: T0 + 1000 });
  });

  it('makes the last attempt at the deadline, and fails after it', () => {
    const justBefore = deadline - 100;
    expect(decide(response(503), 5, justBefore)).toMatchObject({ outcome: 'retry', at: deadline });
    expect(decide(response(503), 6, deadline)).toEqual({
      outcome: 'failed',
      reason: 'deadline passed after 6 attempts; last: HTTP 503: boom',
    });
  });

  it('fails when the receiver asks to wait past the deadline', () => {
    expect(decide(response(429, '3600'), 1, deadline - 60_000)).toMatchObject({ outcome: 'failed' });
  });

  it('says what the receiver answered when it fails at once', () => {
    expect(decide(response(401), 1)).toEqual({ outcome: 'failed', reason: 'HTTP 401: boom (not retried)' });
  });
});
