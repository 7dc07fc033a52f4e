/** Wall-clock time, injected so tests control idle timeouts, TTLs and refreshes. */
export interface Clock {
  /** Epoch ms. */
  now(): number;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };
