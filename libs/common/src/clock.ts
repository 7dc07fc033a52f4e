/** Wall-clock time, injected so tests control timers, TTLs, backoff and refreshes. */
export interface Clock {
  /** Epoch ms. */
  now(): number;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };
