import type { ResourceLimits } from 'node:worker_threads';

const OLD_SPACE = /^--max[-_]old[-_]space[-_]size=(\d+)$/;

/**
 * The heap limit of a worker thread: the process's own --max-old-space-size (a node flag or in
 * NODE_OPTIONS), so each worker's heap is capped like the main thread's. Node 20 applies that flag to
 * every isolate of the process anyway (measured: with it a worker's resourceLimits are ignored);
 * passing it says so and holds where resourceLimits take precedence. Without the flag, V8's default.
 * Smaller caps per worker can be had (`v8.setFlagsFromString('--max-old-space-size=0')` in the main
 * thread before the workers start: their resourceLimits then hold, the main thread's cap stays), but
 * did not pay in the bench (300,000 events, 100 models): 96 MB a worker left the peak RSS where it
 * was (491 MB) at 1.7 times the CPU an event (collections), and at 64 MB a worker ran out of heap.
 */
export function workerResourceLimits(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): ResourceLimits | undefined {
  const flags = [...nodeOptions.split(/\s+/), ...execArgv];
  const sizes = flags.flatMap((flag) => {
    const match = OLD_SPACE.exec(flag);
    return match ? [Number(match[1])] : [];
  });
  // the last one given wins, as with node itself (execArgv after NODE_OPTIONS)
  return sizes.length > 0 ? { maxOldGenerationSizeMb: sizes[sizes.length - 1] } : undefined;
}
