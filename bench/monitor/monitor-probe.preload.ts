/**
 * Loaded with `node --expose-gc -r` into the monitor by the bench. On each SIGWINCH it runs a full
 * GC and writes $BENCH_PROBE_DIR/memory-<n>.json (process.memoryUsage and V8 heap figures: live
 * data against RSS; process.cpuUsage; and `peak`, process.memoryUsage sampled every
 * BENCH_MEMORY_SAMPLE_MS (default 100) since the previous signal: the highest of each figure, and
 * all of them at the highest RSS (RSS and external the process's, heap figures the main thread's);
 * `gcMs`, the main thread's time in V8's collector); with BENCH_PROFILE_AT=k the k-th SIGWINCH also starts V8's sampling profiler
 * and the next one writes its profile to profile.cpuprofile, so the profile covers one phase; with
 * BENCH_HEAP_SNAPSHOT_AT=k the k-th writes heap-<k>.heapsnapshot there or in BENCH_HEAP_SNAPSHOT_DIR
 * (and each worker thread its own, heap-<k>-thread<threadId>.heapsnapshot).
 * `--cpu-prof` would cover start-up too and writes nothing for a process that dies of a signal (the
 * service re-raises SIGTERM after shutdown). SIGWINCH because Nest's shutdown hooks take SIGUSR2 and
 * SIGHUP, and its default action is none.
 *
 * node runs `-r` preloads in worker threads too (MONITOR_WORKERS >= 2): there it answers the main
 * thread on a BroadcastChannel: a full GC of its own heap and its figures, which the main thread
 * adds to its own (`threads`, and heapUsed / heapTotal summed over every isolate), and its own
 * profile, written to profile-<threadId>.cpuprofile before the main thread's. CPU and RSS are the
 * process's, all threads (process.cpuUsage is getrusage(RUSAGE_SELF)).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';

interface ThreadHeap {
  threadId: number;
  heapUsed: number;
  heapTotal: number;
}
type Ask = 'heap' | 'profile-start' | 'profile-stop' | `snapshot-${number}`;

const dir = process.env.BENCH_PROBE_DIR;
const channel = dir ? new BroadcastChannel('driftline-bench-probe') : null;
channel?.unref();
/** How long the main thread waits for the workers' answers. */
const THREAD_WAIT_MS = 10_000;
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * With BENCH_HEAP_SAMPLING=1 the profile also samples allocations, those collected since included
 * (V8's sampling heap profiler, one sample per 32 kB allocated): where the collector's work comes from.
 */
const heapSampling = process.env.BENCH_HEAP_SAMPLING === '1';

function startProfiler(session: Session): void {
  session.connect();
  session.post('Profiler.enable', () => {
    session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start'));
  });
  if (heapSampling)
    session.post('HeapProfiler.enable', () =>
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 32_768,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      } as object),
    );
}

function stopProfiler(session: Session, file: string): Promise<void> {
  const heap = !heapSampling
    ? Promise.resolve()
    : new Promise<void>((done) => {
        session.post('HeapProfiler.stopSampling', (error, result) => {
          writeFileSync(
            file.replace(/\.cpuprofile$/, '.heapprofile'),
            JSON.stringify(error ? { error: error.message } : result.profile),
          );
          done();
        });
      });
  return heap.then(
    () =>
      new Promise((done) => {
        session.post('Profiler.stop', (error, result) => {
          writeFileSync(file, JSON.stringify(error ? { error: error.message } : result.profile));
          session.disconnect();
          done();
        });
      }),
  );
}

/** Where a heap snapshot named `name` goes: BENCH_HEAP_SNAPSHOT_DIR, or the probe's directory. */
function snapshotFile(name: string): string {
  return join(process.env.BENCH_HEAP_SNAPSHOT_DIR ?? dir ?? '.', `heap-${name}.heapsnapshot`);
}

if (dir && channel && !isMainThread) {
  const session = new Session();
  channel.onmessage = (event) => {
    const ask = (event as MessageEvent).data as Ask;
    if (ask === 'heap') {
      gc?.();
      const heap = getHeapStatistics();
      channel.postMessage({ threadId, heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size });
    } else if (typeof ask === 'string' && ask.startsWith('snapshot-')) {
      writeHeapSnapshot(snapshotFile(`${ask.slice('snapshot-'.length)}-thread${threadId}`));
      channel.postMessage({ threadId });
    } else if (ask === 'profile-start') {
      startProfiler(session);
      channel.postMessage({ threadId });
    } else if (ask === 'profile-stop') {
      void stopProfiler(session, join(dir, `profile-${threadId}.cpuprofile`)).then(() =>
        channel.postMessage({ threadId }),
      );
    }
  };
}

/** Each worker's answer to `ask` (none when the monitor runs no worker), or those in by the deadline. */
function askWorkers<T>(ask: Ask, workers: number): Promise<T[]> {
  if (channel === null || workers === 0) return Promise.resolve([]);
  const answers: T[] = [];
  return new Promise((done) => {
    const timer = setTimeout(() => done(answers), THREAD_WAIT_MS);
    channel.onmessage = (event) => {
      answers.push((event as MessageEvent).data as T);
      if (answers.length === workers) {
        clearTimeout(timer);
        done(answers);
      }
    };
    channel.postMessage(ask);
  });
}

if (dir && isMainThread) {
  const configured = Number(process.env.MONITOR_WORKERS ?? 2);
  const workers = configured > 1 ? configured : 0;
  const profileAt = Number(process.env.BENCH_PROFILE_AT ?? 0);
  const snapshotAt = Number(process.env.BENCH_HEAP_SNAPSHOT_AT ?? 0);
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
  const probe = async (): Promise<void> => {
    const n = ++signals;
    sample();
    const peak = { highest, atHighestRss };
    [highest, atHighestRss] = [null, null];
    const cpuUsage = process.cpuUsage();
    const gcMsBefore = gcMs;
    probing = true;
    gc?.();
    const threads = await askWorkers<ThreadHeap>('heap', workers);
    const heap = getHeapStatistics();
    const own = process.memoryUsage();
    const sum = (key: 'heapUsed' | 'heapTotal') => threads.reduce((total, t) => total + t[key], own[key]);
    const memory = {
      ...own,
      heapUsed: sum('heapUsed'),
      heapTotal: sum('heapTotal'),
      mainThread: { heapUsed: own.heapUsed, heapTotal: own.heapTotal },
      threads,
      heapSizeLimit: heap.heap_size_limit,
      mallocedMemory: heap.malloced_memory,
      peakMallocedMemory: heap.peak_malloced_memory,
      afterFullGc: gc !== undefined && threads.length === workers,
      // the process's CPU so far (µs), before and after this full GC: a phase's CPU leaves the probe's GCs out
      cpuUsage,
      cpuUsageAfterGc: process.cpuUsage(),
      peak,
      gcMs: gcMsBefore,
    };
    // the observer reports the probe's GC after this
    setImmediate(() => (probing = false));
    writeFileSync(join(dir, `memory-${n}.json`), JSON.stringify(memory));
    if (n === snapshotAt) {
      writeHeapSnapshot(snapshotFile(String(n)));
      await askWorkers(`snapshot-${n}`, workers);
    }
    if (n === profileAt) {
      startProfiler(session);
      await askWorkers('profile-start', workers);
    } else if (profileAt > 0 && n === profileAt + 1) {
      await askWorkers('profile-stop', workers);
      const file = join(dir, 'profile.cpuprofile');
      await stopProfiler(session, file);
      writeFileSync(`${file}.done`, '');
    }
  };
  process.on('SIGWINCH', () => void probe());
}
