import { describeRevision } from '../git.revision';
import type { BareConsumerResult } from './bare.consumer';
import type { ConsumerPerformanceResult } from './consumer-performance.runner';
import type { Registration } from './control-plane.client';
import type { ProfileSummary } from './cpu-profile.summary';
import type { ProduceResult } from './event.producer';
import type { HttpIngestResult } from './http-ingest.bench';
import type { LatencyResult } from './latency.probe';
import type { MemorySnapshot } from './monitor.probe';
import type { PostgresActivity } from './postgres.activity';

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

/** The monitor's own cost over a phase: its process CPU and its Postgres work, per event handled. */
export interface PhaseCost {
  /** Events the monitor handled in the phase. */
  events: number;
  /** process.cpuUsage() of the monitor (user + system) over the phase; null if the probe could not tell. */
  cpuMs: number | null;
  cpuUsPerEvent: number | null;
  postgres: PostgresActivity | null;
  /** CPU of the monitor's Postgres backends per event. */
  postgresCpuUsPerEvent: number | null;
  transactionsPer1000Events: number | null;
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
  /** The api's API_WORKERS in this run (BENCH_API_WORKERS, default 2): the processes f ran on. */
  apiWorkers?: number;
  /** The monitor's consumer settings in this run (CONSUMER_COMMIT_INTERVAL_MS, DEDUP_HORIZON). */
  monitorSettings?: { commitIntervalMs: number; dedupHorizonMs: number; workers?: number };
  /** The monitor's CPU time and Postgres work per event during c and each pass of d. */
  monitorCost?: { c: PhaseCost | null; latencyLowRate: PhaseCost | null; latency: PhaseCost | null };
  profile: ProfileSummary | null;
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
  notes: string[];
}

const fmt = (v: number | null | undefined, digits = 0): string =>
  v === null || v === undefined || !Number.isFinite(v)
    ? 'n/a'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** One of issue 11's targets against what was measured; met is null when the figure was not measured. */
type Target = BenchResults['targets'][number];

const target = (name: string, goal: string, measured: string, met: boolean | null): Target => ({
  name,
  target: goal,
  measured,
  met,
});

/** Issue 11's targets (c, c / b, d at the fixed rate, e, f) against what was measured. */
export function evaluateTargets(r: BenchResults, stepMs: number): Target[] {
  const c = r.monitor?.eventsPerSecond ?? null;
  const b = r.bareConsumer?.messagesPerSecond ?? null;
  const d = r.latency;
  const eventP99 = d?.eventToRowMs?.p99 ?? null;
  const windowP99 = d?.windowEndToRowMs?.p99 ?? null;
  const rss = r.peakRssMb.afterLatency ?? r.peakRssMb.afterThroughput;
  const f = r.http;
  const ms = (v: number | null) => (v === null ? 'n/a' : `${fmt(v)} ms`);
  return [
    target('c >= 100,000 events/s', '>= 100,000', fmt(c), c === null ? null : c >= 100_000),
    target(
      'c >= 0.5 x b',
      '>= 0.50',
      r.ratios.monitorToBare === null ? 'n/a' : fmt(r.ratios.monitorToBare, 3),
      c === null || b === null ? null : c >= 0.5 * b,
    ),
    target(
      `d at ${fmt(d?.targetRate ?? null)} events/s: no backlog`,
      '<= 1 s of traffic behind when sending stops',
      d === null ? 'n/a' : `${fmt(d.backlogAtStop)} events behind`,
      d === null ? null : d.backlogAtStop <= d.targetRate,
    ),
    target(
      'd: window end -> row p99 <= 2 s',
      '<= 2,000 ms',
      ms(windowP99),
      windowP99 === null ? null : windowP99 <= 2000,
    ),
    target(
      'd: event -> row p99 <= step + 2 s',
      `<= ${fmt(stepMs + 2000)} ms`,
      ms(eventP99),
      eventP99 === null ? null : eventP99 <= stepMs + 2000,
    ),
    target(
      'e (peak RSS) <= 300 MB',
      '<= 300 MB',
      rss === null ? 'n/a' : `${fmt(rss)} MB`,
      rss === null ? null : rss <= 300,
    ),
    target(
      'f >= 50,000 events/s',
      '>= 50,000',
      f === null ? 'n/a' : fmt(f.eventsPerSecond),
      f === null ? null : f.eventsPerSecond >= 50_000,
    ),
    target(
      'f: p99 <= 50 ms',
      '<= 50 ms',
      f === null ? 'n/a' : `${fmt(f.latencyP99Ms)} ms`,
      f === null ? null : f.latencyP99Ms <= 50,
    ),
  ];
}

/** The monitor's CPU and Postgres work over one phase, per event. */
export function phaseCost(
  events: number,
  before: MemorySnapshot | null,
  after: MemorySnapshot | null,
  postgres: PostgresActivity | null,
): PhaseCost {
  const cpu = (usage: MemorySnapshot['cpuUsage']) => (usage ? usage.user + usage.system : null);
  // from after the probe's GC at the start to before the one at the end
  const [from, to] = [cpu(before?.cpuUsageAfterGc), cpu(after?.cpuUsage)];
  const cpuMs = from === null || to === null ? null : (to - from) / 1000;
  const perEvent = (ms: number | null) => (ms === null || events === 0 ? null : (ms * 1000) / events);
  return {
    events,
    cpuMs,
    cpuUsPerEvent: perEvent(cpuMs),
    postgres,
    postgresCpuUsPerEvent: perEvent(postgres?.monitorBackendCpuMs ?? null),
    transactionsPer1000Events:
      postgres === null || events === 0 ? null : (postgres.transactions * 1000) / events,
  };
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
    const delays = d?.windowDelays;
    if (delays) {
      const pair = (p50: number | null, p99: number | null) =>
        p50 === null || p99 === null ? 'n/a' : `${fmt(p50)} / ${fmt(p99)}`;
      add(
        '   of which end -> closed, closed -> row',
        `${pair(delays.closeP50Ms, delays.closeP99Ms)} | ${pair(delays.evaluationP50Ms, delays.evaluationP99Ms)} ms`,
        `p50 / p99 of ${fmt(delays.count)} windows, from the monitor's histograms (interpolated in their buckets)`,
      );
    }
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
  const peak = mem.afterThroughput?.peak?.atHighestRss;
  if (peak) {
    const outside = peak.rss - peak.heapTotal - peak.external;
    add(
      '   at the highest RSS during c',
      `${fmt(peak.rss / 2 ** 20)} MB`,
      `sampled: heap used ${fmt(peak.heapUsed / 2 ** 20)} of ${fmt(peak.heapTotal / 2 ** 20)} MB, ` +
        `external ${fmt(peak.external / 2 ** 20)} MB (array buffers ${fmt(peak.arrayBuffers / 2 ** 20)}), ` +
        `the rest ${fmt(outside / 2 ** 20)} MB (code, stacks, malloc)`,
    );
  }
  const [gcBefore, gcAfter] = [mem.atStart?.gcMs, mem.afterThroughput?.gcMs];
  const cpuMsOfC = r.monitorCost?.c?.cpuMs;
  if (gcBefore !== undefined && gcAfter !== undefined && cpuMsOfC) {
    add(
      '   garbage collection during c',
      `${fmt((gcAfter - gcBefore) / 1000, 1)} s`,
      `${fmt(((gcAfter - gcBefore) / cpuMsOfC) * 100, 1)}% of the monitor's CPU during c (GC pauses; parallel helpers not counted)`,
    );
  }
  const f = r.http;
  add(
    `f. POST /v1/predictions x${f?.batchSize ?? 100}`,
    f ? `${fmt(f.eventsPerSecond)} ev/s` : 'n/a',
    f
      ? `p50 ${fmt(f.latencyP50Ms)} ms, p99 ${fmt(f.latencyP99Ms)} ms per request; ${f.connections} connections; ${fmt(f.otherResponses)} non-2xx, ${fmt(f.errors)} errors; api CPU ${fmt(f.apiCpuUsPerEvent, 1)} us an event; API_WORKERS ${r.apiWorkers === undefined ? 'n/a' : fmt(r.apiWorkers)}`
      : '',
  );
  const cost = r.monitorCost;
  const costRow = (label: string, phase: PhaseCost | null | undefined): void => {
    if (!phase) return;
    const pg = phase.postgres;
    add(
      `monitor CPU per event, ${label}`,
      phase.cpuUsPerEvent === null ? 'n/a' : `${fmt(phase.cpuUsPerEvent, 1)} us`,
      `${fmt(phase.events)} events, ${fmt((phase.cpuMs ?? NaN) / 1000, 1)} s CPU; Postgres: ` +
        `${fmt(phase.postgresCpuUsPerEvent, 1)} us backend CPU an event, ${fmt(pg?.transactions ?? null)} transactions ` +
        `(${fmt(phase.transactionsPer1000Events, 1)} per 1,000 events), ${fmt(pg?.rowsWritten ?? null)} rows written`,
    );
  };
  costRow('c', cost?.c);
  costRow('d low rate', cost?.latencyLowRate);
  costRow('d fixed rate', cost?.latency);
  const settings = r.monitorSettings;
  if (settings) {
    add(
      'monitor settings',
      `commit every ${fmt(settings.commitIntervalMs)} ms`,
      `CONSUMER_COMMIT_INTERVAL_MS (0: per fetch); DEDUP_HORIZON ${fmt(settings.dedupHorizonMs / 1000)} s; ` +
        `MONITOR_WORKERS ${settings.workers === undefined ? 'n/a' : fmt(settings.workers)}`,
    );
  }
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
