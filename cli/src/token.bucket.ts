/**
 * `rate` tokens a second, at most `capacity` saved up: an event is sent per token, so a replay keeps
 * to its rate on average and catches up at most `capacity` events after a stall.
 */
export class TokenBucket {
  private tokens = 1;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.at = now();
  }

  /** Takes a token and answers 0, or answers how many ms until there is one (nothing taken). */
  take(): number {
    const time = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((time - this.at) * this.rate) / 1000);
    this.at = time;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return ((1 - this.tokens) * 1000) / this.rate;
  }

  /** Waits for a token. */
  async acquire(sleep: (ms: number) => Promise<void>): Promise<void> {
    for (let wait = this.take(); wait > 0; wait = this.take()) await sleep(wait);
  }
}
