/**
 * Loaded with `node --expose-gc -r` into the monitor by the bench. On each SIGWINCH it runs a full
 * GC and writes $BENCH_PROBE_DIR/memory-<n>.json (process.memoryUsage and V8 heap figures: live
 * data against RSS; process.cpuUsage); with BENCH_PROFILE_AT=k the k-th SIGWINCH also starts V8's sampling profiler
 * and the next one writes its profile to profile.cpuprofile, so the profile covers one phase; with
 * BENCH_HEAP_SNAPSHOT_AT=k the k-th writes heap-<k>.heapsnapshot there or in BENCH_HEAP_SNAPSHOT_DIR.
 * `--cpu-prof` would cover start-up too and writes nothing for a process that dies of a signal (the
 * service re-raises SIGTERM after shutdown). SIGWINCH because Nest's shutdown hooks take SIGUSR2 and
 * SIGHUP, and its default action is none.
 *
 * node runs `-r` preloads in worker threads too (MONITOR_WORKERS >= 2): there it answers the main
 * thread's probe on a BroadcastChannel with a full GC of its own heap and its figures, which the main
 * thread adds to its own (`threads`, and heapUsed / heapTotal summed over every isolate). CPU and RSS
 * are the process's, all threads (process.cpuUsage is getrusage(RUSAGE_SELF)).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';

interface ThreadHeap {
  threadId: number;
  heapUsed: number;
  heapTotal: number;
}

const dir = process.env.BENCH_PROBE_DIR;
const channel = dir ? new BroadcastChannel('driftline-bench-probe') : null;
channel?.unref();
/** How long the main thread waits for the workers' figures. */
const THREAD_WAIT_MS = 2_000;
const gcOf = () => (globalThis as { gc?: () => void }).gc;

if (channel && !isMainThread) {
  channel.onmessage = (event) => {
    if ((event as MessageEvent).data !== 'probe') return;
    gcOf()?.();
    const heap = getHeapStatistics();
    const figures: ThreadHeap = { threadId, heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size };
    channel.postMessage(figures);
  };
}

/** The workers' heap figures, each after its own full GC; none when the monitor runs no worker. */
function workerHeaps(workers: number): Promise<ThreadHeap[]> {
  if (channel === null || workers === 0) return Promise.resolve([]);
  const heaps: ThreadHeap[] = [];
  return new Promise((done) => {
    const timer = setTimeout(() => done(heaps), THREAD_WAIT_MS);
    channel.onmessage = (event) => {
      heaps.push((event as MessageEvent).data as ThreadHeap);
      if (heaps.length === workers) {
        clearTimeout(timer);
        done(heaps);
      }
    };
    channel.postMessage('probe');
  });
}

if (dir && isMainThread) {
  const configured = Number(process.env.MONITOR_WORKERS ?? 2);
  const workers = configured > 1 ? configured : 0;
  const profileAt = Number(process.env.BENCH_PROFILE_AT ?? 0);
  const snapshotAt = Number(process.env.BENCH_HEAP_SNAPSHOT_AT ?? 0);
  const gc = gcOf();
  const session = new Session();
  let signals = 0;
  process.on('SIGWINCH', () => void probe());
  const probe = async (): Promise<void> => {
    signals++;
    const cpuUsage = process.cpuUsage();
    gc?.();
    const threads = await workerHeaps(workers);
    const heap = getHeapStatistics();
    const own = process.memoryUsage();
    const memory = {
      ...own,
      heapUsed: own.heapUsed + threads.reduce((sum, t) => sum + t.heapUsed, 0),
      heapTotal: own.heapTotal + threads.reduce((sum, t) => sum + t.heapTotal, 0),
      mainThread: { heapUsed: own.heapUsed, heapTotal: own.heapTotal },
      threads,
      heapSizeLimit: heap.heap_size_limit,
      mallocedMemory: heap.malloced_memory,
      peakMallocedMemory: heap.peak_malloced_memory,
      afterFullGc: gc !== undefined && threads.length === workers,
      // the process's CPU so far (µs), before and after this full GC: a phase's CPU leaves the probe's GCs out
      cpuUsage,
      cpuUsageAfterGc: process.cpuUsage(),
    };
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
  };
}
