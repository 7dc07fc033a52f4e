import { SingleBar } from 'cli-progress';
import type { CliIo } from './cli.io';

export interface ReplayCounts {
  queued: number;
  sent: number;
  failed: number;
}

/** A bar of events sent of the file's, on a terminal only (a log or a pipe gets the summary alone). */
export class ReplayProgress {
  private readonly bar: SingleBar | null;

  constructor(io: CliIo, total: number) {
    const stream = io.stderr as NodeJS.WriteStream;
    this.bar =
      stream.isTTY === true
        ? new SingleBar({
            stream,
            format:
              '[{bar}] {percentage}% {value}/{total} events | {sent} sent, {failed} failed | {speed} events/s',
            hideCursor: true,
            fps: 10,
          })
        : null;
    this.bar?.start(total, 0, { sent: 0, failed: 0, speed: 0 });
  }

  update(counts: ReplayCounts, elapsedMs: number): void {
    const speed = elapsedMs > 0 ? Math.round((counts.sent * 1000) / elapsedMs) : 0;
    this.bar?.update(counts.queued, { sent: counts.sent, failed: counts.failed, speed });
  }

  stop(): void {
    this.bar?.stop();
  }
}
