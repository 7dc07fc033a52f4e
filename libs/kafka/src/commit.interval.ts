/**
 * The fetches of one partition gathered since its last commit, to be handled and committed in one
 * Postgres transaction. Held in memory only: dropped on a rebalance, a stop or a failed commit, and
 * then read again from the offset stored in Postgres. It holds the records as fetched (their values
 * undecoded, about half the memory of a decoded event): they are decoded when the interval commits,
 * so only the committing interval's events are in the heap at a time.
 */
export class CommitInterval<R extends { offset: string; value: Buffer | null }> {
  readonly records: R[] = [];
  private size = 0;
  private last: bigint | null = null;
  /** Offset of the interval's first fetch: what the offset fence compares with the stored offset. */
  readonly fetchedOffset: string;
  highWatermark: string;
  timer: NodeJS.Timeout | undefined;

  constructor(
    first: { fetchedOffset: string; highWatermark: string },
    readonly openedAt: number,
    /** The consumer's group generation when the interval opened: a rebalance since voids it. */
    readonly generation: number,
  ) {
    this.fetchedOffset = first.fetchedOffset;
    this.highWatermark = first.highWatermark;
  }

  /** Appends a fetch's records; records at or below the interval's last offset (a refetch) are left out. */
  add(records: readonly R[], lastOffset: string, highWatermark: string): void {
    for (const record of records) {
      if (this.last !== null && BigInt(record.offset) <= this.last) continue;
      this.records.push(record);
      this.size += record.value?.length ?? 0;
    }
    const last = BigInt(lastOffset);
    if (this.last === null || last > this.last) this.last = last;
    this.highWatermark = highWatermark;
  }

  /** Offset of the last record fetched into the interval. */
  get lastOffset(): string {
    if (this.last === null) throw new Error('an interval holds at least one fetch');
    return this.last.toString();
  }

  /** Bytes of record values held. */
  get bytes(): number {
    return this.size;
  }

  /** Commit now: the interval has run its time, or holds `maxBytes` of record values. */
  due(now: number, intervalMs: number, maxBytes: number): boolean {
    return now - this.openedAt >= intervalMs || this.size >= maxBytes;
  }
}

/**
 * Commits, one at a time in call order, whether a fetch or a timer started them. The fetch loop does
 * not wait for a commit: it gathers the next intervals meanwhile, and waits only when an earlier
 * commit still runs as the next interval falls due.
 */
export class CommitLane {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** Runs `task` after the lane's earlier tasks (whether they failed or not). */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => this.queued--,
      () => this.queued--,
    );
    return result;
  }

  /** A task is queued or running. */
  get busy(): boolean {
    return this.queued > 0;
  }

  /** Settles once every task queued so far has. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
