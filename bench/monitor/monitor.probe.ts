import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './cpu-profile.summary';

/** monitor-probe.preload's signal. */
const PROBE_SIGNAL = 'SIGWINCH';

export interface MemorySnapshot {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  heapSizeLimit: number;
  mallocedMemory: number;
  peakMallocedMemory: number;
  /** The main thread's own heap; heapUsed and heapTotal above sum it with every worker thread's. */
  mainThread?: { heapUsed: number; heapTotal: number };
  /** Each worker thread's heap after its own full GC (absent in results of older runs). */
  threads?: { threadId: number; heapUsed: number; heapTotal: number }[];
  /** Taken right after a full GC (of every thread): heapUsed is live data. */
  afterFullGc: boolean;
  /** process.cpuUsage() of the monitor when taken, µs (absent in results of older runs). */
  cpuUsage?: { user: number; system: number };
  /** The same right after the probe's full GC. */
  cpuUsageAfterGc?: { user: number; system: number };
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function waitFor(file: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** The bench's side of monitor-probe.preload: node arguments and environment, then signals. */
export class MonitorProbe {
  private signals = 0;
  private pid: number | null = null;

  /** `profileFrom`: the signal (1-based) that starts the profiler, the next stops it; 0 for none. */
  constructor(
    private readonly dir: string,
    private readonly profileFrom: number,
  ) {}

  nodeArgs(): string[] {
    return ['--expose-gc', '-r', join(__dirname, 'monitor-probe.preload.js')];
  }

  env(): Record<string, string> {
    return { BENCH_PROBE_DIR: this.dir, BENCH_PROFILE_AT: String(this.profileFrom) };
  }

  attach(pid: number): void {
    this.pid = pid;
  }

  /** Signals the monitor: its memory figures after a full GC (and the profiler's start or stop, if due). */
  async signal(): Promise<MemorySnapshot | null> {
    if (this.pid === null) throw new Error('probe not attached');
    const n = ++this.signals;
    process.kill(this.pid, PROBE_SIGNAL);
    const file = join(this.dir, `memory-${n}.json`);
    if (!(await waitFor(file, 10_000))) return null;
    await sleep(50);
    return JSON.parse(readFileSync(file, 'utf8')) as MemorySnapshot;
  }

  /** After the second signal: the profiles of every thread (the main one's and each worker's), summarized. */
  async profile(): Promise<ProfileSummary | null> {
    const file = join(this.dir, 'profile.cpuprofile');
    if (this.profileFrom === 0 || !(await waitFor(`${file}.done`, 60_000))) return null;
    const files = readdirSync(this.dir).filter((name) => /^profile(-\d+)?\.cpuprofile$/.test(name));
    const profiles = files.map((name) => {
      const profile = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as
        CpuProfile | { error: string };
      if ('error' in profile) throw new Error(`profiler: ${profile.error}`);
      return profile;
    });
    return { ...summarizeProfile(profiles), threads: profiles.length };
  }
}
