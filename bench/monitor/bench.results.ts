import { describeRevision } from '../git.revision';
import type { BareConsumerResult } from './bare.consumer';
import type { ConsumerPerformanceResult } from './consumer-performance.runner';
import type { Registration } from './control-plane.client';
import type { ProfileSummary } from './cpu-profile.summary';
import type { ProduceResult } from './event.producer';
import type { HttpIngestResult } from './http-ingest.bench';
import type { LatencyResult } from './latency.probe';
import type { MemorySnapshot } from './monitor.probe';

export interface MachineFacts {
  date: string;
  cores: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  kafka: string;
  postgres: string;
  postgresSource: string;
  /** git rev-parse HEAD when the run started. */
  gitCommit: string | null;
  /** Whether the built sources had uncommitted changes (gitChanges: which); null outside git. */
  gitDirty: boolean | null;
  gitChanges: string[];
  /** mtime of dist/services/monitor/src/main.js: the build the run measured (the tree is shared). */
  monitorBuiltAt: string;
  /** os.loadavg() (1, 5, 15 min) when each phase started, and at the end. */
  loadAverage: Record<string, number[]>;
}

export interface MonitorThroughput {
  /** 'windows' when every model was registered with a reference, else 'counts only'. */
  mode: 'windows' | 'counts only';
  events: number;
  /** From the first poll that saw committed offsets to the poll that saw all N committed. */
  seconds: number;
  eventsPerSecond: number;
  pollMs: number;
  /** Sum of prediction_count metric points once done (must equal N). */
  countedPredictions: number;
  windowRows: number;
  lateEvents: number;
  peakRssMb: number | null;
  /** pane_state rows once done: live panes and their JSON size. */
  paneState: { panes: number; averageBytes: number; totalBytes: number };
}

export interface BenchResults {
  machine: MachineFacts;
  settings: {
    events: number;
    models: number;
    numericFeatures: number;
    categoricalFeatures: number;
    partitions: number;
    window: { size: string; step: string; allowedLateness: string; panes: number };
    referenceRows: number;
    producer: string;
    seed: number;
  };
  registration: Registration | null;
  production:
    (ProduceResult & { eventsPerSecond: number; megabytesPerSecond: number; averageBytes: number }) | null;
  consumerPerformance: ConsumerPerformanceResult | null;
  bareConsumer: (BareConsumerResult & { messagesPerSecond: number }) | null;
  monitor: MonitorThroughput | null;
  ratios: { monitorToBare: number | null; monitorToConsumerPerformance: number | null };
  /** d at the fixed rate (20,000 events/s unless --latency-rate). */
  latency: LatencyResult | null;
  /** d at a low rate (--latency-low-rate, default 100 events/s), run first: where the monitor keeps up, if anywhere. */
  latencyLowRate: LatencyResult | null;
  peakRssMb: { afterThroughput: number | null; afterLatency: number | null };
  /** process.memoryUsage() of the monitor after a full GC: once ready, after c, after each pass of d (monitor-probe.preload). */
  monitorMemory: {
    atStart: MemorySnapshot | null;
    afterThroughput: MemorySnapshot | null;
    afterLowRate: MemorySnapshot | null;
    afterLatency: MemorySnapshot | null;
  };
  http: HttpIngestResult | null;
  profile: ProfileSummary | null;
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
  notes: string[];
}

const fmt = (v: number | null | undefined, digits = 0): string =>
  v === null || v === undefined || !Number.isFinite(v)
    ? 'n/a'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Targets of issue 5 against what was measured; null when the figure was not measured. */
export function evaluateTargets(r: BenchResults, stepMs: number): BenchResults['targets'] {
  const c = r.monitor?.eventsPerSecond ?? null;
  const b = r.bareConsumer?.messagesPerSecond ?? null;
  const p99 = r.latency?.eventToRowMs?.p99 ?? null;
  const rss = r.peakRssMb.afterLatency ?? r.peakRssMb.afterThroughput;
  return [
    {
      name: 'c >= 0.7 x b',
      target: '>= 0.70',
      measured: r.ratios.monitorToBare === null ? 'n/a' : fmt(r.ratios.monitorToBare, 3),
      met: c === null || b === null ? null : c >= 0.7 * b,
    },
    {
      name: 'c >= 50,000 events/s',
      target: '>= 50,000',
      measured: fmt(c),
      met: c === null ? null : c >= 50_000,
    },
    {
      name: 'p99 of d <= step + 2 s',
      target: `<= ${fmt(stepMs + 2000)} ms`,
      measured: p99 === null ? 'n/a' : `${fmt(p99)} ms`,
      met: p99 === null ? null : p99 <= stepMs + 2000,
    },
    {
      name: 'e (peak RSS) <= 300 MB',
      target: '<= 300 MB',
      measured: rss === null ? 'n/a' : `${fmt(rss)} MB`,
      met: rss === null ? null : rss <= 300,
    },
  ];
}

/** The one table the run prints. */
export function resultsTable(r: BenchResults): string {
  const rows: [string, string, string][] = [];
  const add = (figure: string, value: string, detail = ''): number => rows.push([figure, value, detail]);
  const p = r.production;
  add(
    'production (kafkajs, acks 1)',
    p ? `${fmt(p.eventsPerSecond)} ev/s` : 'n/a',
    p ? `${fmt(p.megabytesPerSecond, 1)} MB/s, ${fmt(p.averageBytes)} B/event, ${fmt(p.seconds, 1)} s` : '',
  );
  const a = r.consumerPerformance;
  add(
    'a. Kafka ConsumerPerformance',
    a ? `${fmt(a.fetchMessagesPerSecond)} msg/s` : 'n/a',
    a
      ? `fetch time only; ${fmt(a.messagesPerSecond)} msg/s with group join, ${fmt(a.fetchMegabytesPerSecond, 1)} MB/s`
      : '',
  );
  const b = r.bareConsumer;
  add(
    'b. kafkajs eachBatch + decode, validate',
    b ? `${fmt(b.messagesPerSecond)} msg/s` : 'n/a',
    b
      ? `${fmt(b.messages)} msgs in ${fmt(b.seconds, 1)} s, ${fmt(b.batches)} batches, ${fmt(b.invalid)} invalid; ` +
          `the monitor's fetch settings (${fmt((b.fetch.maxBytesPerPartition ?? 0) / 2 ** 20, 1)} MiB a partition, ` +
          `min ${fmt(b.fetch.minBytes)} B, wait ${fmt(b.fetch.maxWaitMs)} ms)`
      : '',
  );
  const c = r.monitor;
  add(
    `c. monitor end to end (${c?.mode ?? 'n/a'})`,
    c ? `${fmt(c.eventsPerSecond)} ev/s` : 'n/a',
    c
      ? `${fmt(c.events)} events in ${fmt(c.seconds, 1)} s; ${fmt(c.windowRows)} window rows; counted ${fmt(c.countedPredictions)}; ` +
          `${fmt(c.paneState.panes)} panes stored, ${fmt(c.paneState.averageBytes / 1024, 1)} kB JSON each`
      : '',
  );
  add('c / b', r.ratios.monitorToBare === null ? 'n/a' : fmt(r.ratios.monitorToBare, 3));
  add(
    'c / a',
    r.ratios.monitorToConsumerPerformance === null ? 'n/a' : fmt(r.ratios.monitorToConsumerPerformance, 3),
  );
  const latencyRows = (d: LatencyResult | null, label: string): void => {
    add(
      `d. send -> window row p50 / p99, ${label}`,
      d?.eventToRowMs ? `${fmt(d.eventToRowMs.p50)} / ${fmt(d.eventToRowMs.p99)} ms` : 'n/a',
      d
        ? `${fmt(d.achievedRate)} ev/s sent (target ${fmt(d.targetRate)}); ${fmt(d.measuredEvents)} events measured, ` +
            `${fmt(d.eventsWithoutRow)} without a row after ${fmt(d.drainMs / 1000)} s; backlog at stop ${fmt(d.backlogAtStop)}`
        : '',
    );
    add(
      '   window end -> row p50 / p99',
      d?.windowEndToRowMs ? `${fmt(d.windowEndToRowMs.p50)} / ${fmt(d.windowEndToRowMs.p99)} ms` : 'n/a',
      d ? `${fmt(d.windowsSeen)} of ${fmt(d.windowsExpected)} windows seen; polled every ${d.pollMs} ms` : '',
    );
  };
  if (r.latencyLowRate) latencyRows(r.latencyLowRate, 'low rate');
  latencyRows(r.latency, 'fixed rate');
  add(
    'e. monitor peak RSS (VmHWM)',
    `${fmt(r.peakRssMb.afterLatency ?? r.peakRssMb.afterThroughput)} MB`,
    `after c: ${fmt(r.peakRssMb.afterThroughput)} MB; after d: ${fmt(r.peakRssMb.afterLatency)} MB`,
  );
  const heap = (m: MemorySnapshot | null): string =>
    m === null
      ? 'n/a'
      : `${fmt(m.heapUsed / 2 ** 20)} / ${fmt(m.heapTotal / 2 ** 20)} / ${fmt(m.rss / 2 ** 20)}`;
  const mem = r.monitorMemory;
  add(
    '   live heap / heap total / RSS',
    `${heap(mem.afterLatency ?? mem.afterThroughput)} MB`,
    `after a full GC; once ready: ${heap(mem.atStart)} MB; after c: ${heap(mem.afterThroughput)} MB; after low-rate d: ${heap(mem.afterLowRate)} MB`,
  );
  const f = r.http;
  add(
    `f. POST /v1/predictions x${f?.batchSize ?? 100}`,
    f ? `${fmt(f.eventsPerSecond)} ev/s` : 'n/a',
    f
      ? `p50 ${fmt(f.latencyP50Ms)} ms, p99 ${fmt(f.latencyP99Ms)} ms per request; ${f.connections} connections; ${fmt(f.otherResponses)} non-2xx, ${fmt(f.errors)} errors`
      : '',
  );
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map(([figure, value, detail]) =>
    `${figure.padEnd(widths[0])}  ${value.padStart(widths[1])}  ${detail}`.trimEnd(),
  );
  const targets = r.targets.map(
    (t) =>
      `${t.met === null ? 'n/a ' : t.met ? 'MET ' : 'MISS'}  ${t.name}: ${t.measured} (target ${t.target})`,
  );
  const m = r.machine;
  const load = Object.entries(m.loadAverage)
    .map(([phase, l]) => `${phase} ${l.map((x) => x.toFixed(1)).join('/')}`)
    .join(', ');
  return [
    `driftline monitor bench, ${m.date}: N=${fmt(r.settings.events)}, ${r.settings.models} models x ${r.settings.numericFeatures + r.settings.categoricalFeatures} features x ${r.settings.window.panes} panes, ${r.settings.partitions} partitions`,
    `${m.cores} cores (${m.cpuModel}), ${fmt(m.memoryMb)} MB, node ${m.node}, kafka ${m.kafka}, ${m.postgres}`,
    `commit ${describeRevision({ commit: m.gitCommit, dirty: m.gitDirty, changes: m.gitChanges })}`,
    `load average (1/5/15 min): ${load}`,
    '',
    ...lines,
    '',
    ...targets,
    ...(r.notes.length > 0 ? ['', ...r.notes.map((n) => `note: ${n}`)] : []),
  ].join('\n');
}
