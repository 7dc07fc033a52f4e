import type { CliIo } from './cli.io';

const BAR_WIDTH = 30;
const REDRAW_MS = 100;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Bytes sent of a file's total: a redrawn bar on a terminal, nothing until the one-line summary
 * otherwise (a log or a pipe should not fill with carriage returns).
 */
export class UploadProgress {
  private sent = 0;
  private drawnAt = 0;
  private readonly tty: boolean;

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  }

  add(bytes: number): void {
    this.sent += bytes;
    if (!this.tty) return;
    const time = this.now();
    if (time - this.drawnAt < REDRAW_MS && this.sent < this.total) return;
    this.drawnAt = time;
    this.io.stderr.write(`\r${this.bar()}`);
  }

  bar(): string {
    const share = this.total > 0 ? Math.min(1, this.sent / this.total) : 1;
    const filled = Math.round(share * BAR_WIDTH);
    const percent = `${Math.floor(share * 100)}%`.padStart(4);
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent} ${formatBytes(this.sent)} / ${formatBytes(this.total)}`;
  }

  /** Ends the bar's line on a terminal, then one summary line either way. */
  finish(summary: string): void {
    if (this.tty) this.io.stderr.write(`\r${this.bar()}\n`);
    this.io.stderr.write(`${summary}\n`);
  }
}
