import { backoffDelay, parseRetryAfter } from './retry.backoff';

describe('backoffDelay', () => {
  const policy = { baseMs: 1000, maxMs: 30_000 };

  it.each([
    [1, 0.999, 999],
    [2, 0.5, 1000],
    [4, 0.5, 4000],
    [10, 0.5, 15_000],
    [3, 0, 0],
  ])(
    'attempt %i with random %p waits %i ms (full jitter under a doubling, capped ceiling)',
    (attempt, r, ms) => {
      expect(backoffDelay(attempt, policy, null, () => r)).toBe(ms);
    },
  );

  it('waits at least what Retry-After asks for', () => {
    expect(backoffDelay(1, policy, 5000, () => 0.5)).toBe(5000);
    expect(backoffDelay(5, policy, 10, () => 0.5)).toBe(8000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  it.each([
    ['3', 3000],
    ['Tue, 01 Dec 2026 00:00:10 GMT', 10_000],
    ['Mon, 30 Nov 2026 00:00:00 GMT', 0],
    ['soon', null],
    ['', null],
    [undefined, null],
  ])('%p -> %p', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
