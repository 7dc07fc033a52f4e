import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatLogLine } from './log.formatter';

/** Child processes started with prefixed, readable output, stopped together. */
export class ProcessGroup {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(private readonly onUnexpectedExit: (name: string, code: number | null) => void) {}

  /** `onLine` sees each line the child writes, as written. */
  start(
    name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    onLine?: (line: string) => void,
  ): ChildProcess {
    // Own process group: Ctrl-C reaches only `up`, which then stops each child once, in order.
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        process.stdout.write(`${formatLogLine(name, line)}\n`);
        onLine?.(line);
      });
    }
    child.on('exit', (code) => {
      this.children.delete(name);
      if (!this.stopping) this.onUnexpectedExit(name, code);
    });
    this.children.set(name, child);
    return child;
  }

  /** Last resort when `up` exits: the children are detached and would outlive it. */
  killAll(): void {
    for (const child of this.children.values()) child.kill('SIGKILL');
  }

  /** SIGTERM to each child, SIGKILL to those still running after the grace period. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const waits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null && child.stdout?.readableEnded) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          // 'close' comes after the last output line, 'exit' may come before it
          child.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(waits);
  }
}
