/** All a task needs of a logger. */
export interface TaskLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * Runs `work` every `everyMs` (first after `everyMs`, or at once with `immediately`), never two at a
 * time: a slow run delays the next instead of overlapping it. Errors are logged, never thrown.
 * `stop()` waits for a run in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly work: () => Promise<void>,
    private readonly logger: TaskLogger,
  ) {}

  start(immediately = false): void {
    this.stopped = false;
    this.schedule(immediately ? 0 : this.everyMs);
  }

  /** Runs now (after a run in progress), e.g. when new work was just written. */
  async runNow(): Promise<void> {
    await this.running;
    await this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run().then(() => this.schedule(this.everyMs)), ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.work()
      .catch((error: Error) =>
        this.logger.error({ task: this.name, error: error.message }, `${this.name} failed`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
