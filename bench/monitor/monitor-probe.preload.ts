/**
 * Loaded with `node --expose-gc -r` into the monitor by the bench. On each SIGWINCH it runs a full
 * GC and writes $BENCH_PROBE_DIR/memory-<n>.json (process.memoryUsage and V8 heap figures: live
 * data against RSS; process.cpuUsage; and `peak`, process.memoryUsage sampled every
 * BENCH_MEMORY_SAMPLE_MS (default 100) since the previous signal: the highest of each figure, and
 * all of them at the highest RSS, so what makes up the peak is seen, not only what is left after); with BENCH_PROFILE_AT=k the k-th SIGWINCH also starts V8's sampling profiler
 * and the next one writes its profile to profile.cpuprofile, so the profile covers one phase; with
 * BENCH_HEAP_SNAPSHOT_AT=k the k-th writes heap-<k>.heapsnapshot there or in BENCH_HEAP_SNAPSHOT_DIR.
 * `--cpu-prof` would cover start-up too and writes nothing for a process that dies of a signal (the
 * service re-raises SIGTERM after shutdown). SIGWINCH because Nest's shutdown hooks take SIGUSR2 and
 * SIGHUP, and its default action is none.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  const profileAt = Number(process.env.BENCH_PROFILE_AT ?? 0);
  const snapshotAt = Number(process.env.BENCH_HEAP_SNAPSHOT_AT ?? 0);
  const gc = (globalThis as { gc?: () => void }).gc;
  const session = new Session();
  let signals = 0;
  type Usage = NodeJS.MemoryUsage;
  const figures = ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const;
  let highest: Usage | null = null;
  let atHighestRss: Usage | null = null;
  const sample = (): void => {
    const usage = process.memoryUsage();
    if (highest === null || atHighestRss === null) [highest, atHighestRss] = [{ ...usage }, usage];
    for (const figure of figures) highest[figure] = Math.max(highest[figure], usage[figure]);
    if (usage.rss >= atHighestRss.rss) atHighestRss = usage;
  };
  setInterval(sample, Number(process.env.BENCH_MEMORY_SAMPLE_MS ?? 100)).unref();
  // wall time in V8's collector since the start (ms), the probe's own full GCs left out
  let gcMs = 0;
  let probing = false;
  new PerformanceObserver((list) => {
    if (!probing) for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGWINCH', () => {
    signals++;
    sample();
    const peak = { highest, atHighestRss };
    [highest, atHighestRss] = [null, null];
    const cpuUsage = process.cpuUsage();
    const gcMsBefore = gcMs;
    probing = true;
    gc?.();
    const heap = getHeapStatistics();
    const memory = {
      ...process.memoryUsage(),
      heapSizeLimit: heap.heap_size_limit,
      mallocedMemory: heap.malloced_memory,
      peakMallocedMemory: heap.peak_malloced_memory,
      afterFullGc: gc !== undefined,
      // the process's CPU so far (µs), before and after this full GC: a phase's CPU leaves the probe's GCs out
      cpuUsage,
      cpuUsageAfterGc: process.cpuUsage(),
      peak,
      gcMs: gcMsBefore,
    };
    // the observer reports the probe's GC after this callback
    setImmediate(() => (probing = false));
    writeFileSync(join(dir, `memory-${signals}.json`), JSON.stringify(memory));
    if (signals === snapshotAt) {
      writeHeapSnapshot(join(process.env.BENCH_HEAP_SNAPSHOT_DIR ?? dir, `heap-${signals}.heapsnapshot`));
    }
    if (signals === profileAt) {
      session.connect();
      session.post('Profiler.enable', () => {
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start'));
      });
    } else if (profileAt > 0 && signals === profileAt + 1) {
      session.post('Profiler.stop', (error, result) => {
        const file = join(dir, 'profile.cpuprofile');
        writeFileSync(file, JSON.stringify(error ? { error: error.message } : result.profile));
        writeFileSync(`${file}.done`, '');
        session.disconnect();
      });
    }
  });
}
