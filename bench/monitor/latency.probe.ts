import type { Producer } from 'kafkajs';
import { producePaced, type ProduceResult, type SentBatch } from './event.producer';
import type { MonitorProgress } from './monitor.progress';
import { percentiles, type Percentiles } from './percentiles';
import type { BenchDataset } from './prediction.generator';
import { windowDelays, type WindowDelays } from './window-delays';

export interface LatencyOptions {
  rate: number;
  warmupSeconds: number;
  seconds: number;
  stepMs: number;
  pollMs: number;
  /** How long to wait after the last send for the measured windows' rows. */
  drainMs: number;
  /** Events sent but not yet committed by the monitor. */
  backlog: () => Promise<number>;
  /** The monitor's /metrics exposition, read as the measured part starts and once it drained. */
  metrics?: () => Promise<string>;
}

export interface LatencyResult {
  targetRate: number;
  achievedRate: number;
  measuredSeconds: number;
  warmupSeconds: number;
  pollMs: number;
  measuredEvents: number;
  /** Events sent but not yet committed by the monitor when sending stopped: > 0 means it fell behind. */
  backlogAtStop: number;
  drainMs: number;
  /** Measured events whose window row never showed up within the drain time. */
  eventsWithoutRow: number;
  windowsExpected: number;
  windowsSeen: number;
  /** Per event: first poll that saw its first window's row minus the event's send time. */
  eventToRowMs: Percentiles | null;
  /** Per window: first poll that saw its row minus the window end. */
  windowEndToRowMs: Percentiles | null;
  /** Per window: first poll that saw its row minus updated_at (the writing transaction's start). */
  transactionStartToSeenMs: Percentiles | null;
  /**
   * The windows evaluated from the start of the measured part until it drained, by the monitor's
   * histograms: window end to the closing batch, then to the row (absent from older results).
   */
  windowDelays?: WindowDelays | null;
}

const key = (modelId: string, windowEnd: number): string => `${modelId}|${windowEnd}`;

/**
 * Sends at a fixed rate, event time = wall-clock send time, while polling window_results every
 * `pollMs`; an event's latency is the start of the first poll that returned the row of the first
 * window containing it (the one ending at the end of its pane) minus its send time. So it includes
 * the wait for the pane to end (up to one step; windows close on event time), the consume,
 * evaluation and commit, and up to one poll interval. Events of the warm-up (which also closes the
 * windows left open by earlier phases) and of panes ending in the last second are not measured.
 */
export async function measureLatency(
  producer: Producer,
  topic: string,
  dataset: BenchDataset,
  progress: MonitorProgress,
  options: LatencyOptions,
): Promise<LatencyResult> {
  const { rate, warmupSeconds, seconds, stepMs, pollMs, drainMs, backlog, metrics } = options;
  const started = Date.now();
  const measureFrom = started + warmupSeconds * 1000;
  const firstEnd = Math.floor(measureFrom / stepMs) * stepMs + stepMs;
  const seen = new Map<string, { at: number; updatedAt: number }>();
  let polling = true;
  const poll = async (): Promise<void> => {
    while (polling) {
      const at = Date.now();
      const rows = await progress.windowRowsSince(firstEnd).catch((error: Error) => {
        if (polling) throw error;
        return [];
      });
      for (const row of rows) {
        const k = key(row.modelId, row.windowEnd);
        if (!seen.has(k)) seen.set(k, { at, updatedAt: row.updatedAt });
      }
      const wait = pollMs - (Date.now() - at);
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
    }
  };
  let pollError: Error | null = null;
  const poller = poll().catch((error: Error) => {
    pollError = error;
  });

  const batches: SentBatch[] = [];
  const expected = new Set<string>();
  let measuredEvents = 0;
  let metricsBefore: Promise<string | null> | undefined;
  const scrape = (): Promise<string | null> => metrics?.().catch(() => null) ?? Promise.resolve(null);
  let produced: ProduceResult;
  let lastEnd: number;
  let backlogAtStop: number;
  try {
    produced = await producePaced(producer, topic, dataset, rate, warmupSeconds + seconds, (batch) => {
      if (batch.timestampMs < measureFrom) return;
      metricsBefore ??= scrape();
      batches.push(batch);
    });
    lastEnd = Date.now() - 1000;
    backlogAtStop = await backlog();
    for (const batch of batches) {
      const end = Math.floor(batch.timestampMs / stepMs) * stepMs + stepMs;
      if (end > lastEnd) continue;
      for (const [modelId, count] of batch.perModel) {
        expected.add(key(modelId, end));
        measuredEvents += count;
      }
    }
    const drainUntil = Date.now() + drainMs;
    while (Date.now() < drainUntil && [...expected].some((k) => !seen.has(k))) {
      await new Promise((done) => setTimeout(done, pollMs));
    }
  } finally {
    polling = false;
    await poller;
  }
  if (pollError !== null) throw pollError;
  const before = (await metricsBefore) ?? null;
  const after = await scrape();

  const latencies = new Float64Array(measuredEvents);
  let filled = 0;
  let eventsWithoutRow = 0;
  for (const batch of batches) {
    const end = Math.floor(batch.timestampMs / stepMs) * stepMs + stepMs;
    if (end > lastEnd) continue;
    for (const [modelId, count] of batch.perModel) {
      const row = seen.get(key(modelId, end));
      if (row === undefined) {
        eventsWithoutRow += count;
        continue;
      }
      latencies.fill(row.at - batch.timestampMs, filled, filled + count);
      filled += count;
    }
  }
  const windows = [...expected].flatMap((k) => {
    const row = seen.get(k);
    return row === undefined ? [] : [{ row, end: Number(k.split('|')[1]) }];
  });
  return {
    targetRate: rate,
    achievedRate: produced.events / produced.seconds,
    measuredSeconds: seconds,
    warmupSeconds,
    backlogAtStop,
    drainMs,
    pollMs,
    measuredEvents,
    eventsWithoutRow,
    windowsExpected: expected.size,
    windowsSeen: windows.length,
    eventToRowMs: percentiles(latencies.subarray(0, filled)),
    windowEndToRowMs: percentiles(windows.map((w) => w.row.at - w.end)),
    transactionStartToSeenMs: percentiles(windows.map((w) => w.row.at - w.row.updatedAt)),
    windowDelays: before === null || after === null ? null : windowDelays(before, after),
  };
}
