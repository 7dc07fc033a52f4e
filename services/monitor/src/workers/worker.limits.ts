import type { ResourceLimits } from 'node:worker_threads';

const OLD_SPACE = /^--max[-_]old[-_]space[-_]size=(\d+)$/;

/**
 * The heap limit of a worker thread: the process's own --max-old-space-size (a node flag or in
 * NODE_OPTIONS), so each worker's heap is capped like the main thread's. Node 20 applies that flag to
 * every isolate of the process anyway (measured: with it a worker's resourceLimits are ignored);
 * passing it says so and holds where resourceLimits take precedence. Without the flag, V8's default.
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
