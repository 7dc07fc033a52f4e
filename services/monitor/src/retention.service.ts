import { MODEL_SPEC_DEFAULTS } from '@driftline/contracts';
import type {
  ModelRepository,
  PendingGroundTruthRepository,
  PerformancePaneRepository,
  PredictionLogRepository,
  SeenEventRepository,
  WindowSummaryRepository,
} from '@driftline/db';
import type { Logger } from '@driftline/kafka';
import { parseDuration, parseWindowSpec } from '@driftline/windowing';
import type { Clock } from './monitor.clock';

const DAY_MS = 86_400_000;
/**
 * Heap blocks of seen_events one DELETE sweeps (8 MB, about 120,000 rows): each statement's locks
 * and WAL stay small.
 */
export const SEEN_EVENTS_BLOCKS = 1_024;
/**
 * seen_events is swept at most this many times per dedup horizon: a sweep reads every row (0.3 µs a
 * row measured), so each run of an hourly retention would cost 24 reads of each id over a 24 h
 * horizon (7 µs an event); 4 cost 1.2 µs, and keep an id at most a quarter horizon (plus a period)
 * longer.
 */
export const SEEN_EVENT_SWEEPS_PER_HORIZON = 4;

/** Pool-level repositories retention works on (each call its own statement, no batch transaction). */
export interface RetentionStore {
  models: Pick<ModelRepository, 'findAll'>;
  predictionLog: Pick<PredictionLogRepository, 'deleteBefore' | 'dropPartitionsBefore'>;
  pendingLabels: Pick<PendingGroundTruthRepository, 'expire'>;
  performancePanes: Pick<PerformancePaneRepository, 'deleteBefore'>;
  windowSummaries: Pick<WindowSummaryRepository, 'deleteBefore'>;
  seenEvents: Pick<SeenEventRepository, 'newest' | 'deleteBefore'>;
}

export interface RetentionOutcome {
  expiredLabels: number;
  droppedPartitions: string[];
  /** seen_events rows deleted: event ids past the dedup horizon. */
  forgottenEventIds: number;
}

interface Horizon {
  modelId: string;
  horizonMs: number;
  sizeMs: number;
  /** Models without a task log no predictions and keep no performance panes. */
  task: boolean;
}

/**
 * Keeps the performance tables bounded: labels held past their TTL are deleted; each model's logged
 * predictions and performance panes older than its label horizon (before now, in event time) are
 * deleted; day partitions of the prediction log older than the longest horizon of any model are
 * dropped whole. The stored summaries of every monitored model's windows ending before its label
 * horizon are deleted: a window can be pinned as the reference for that long. Each model's event
 * ids (seen_events) older than the dedup horizon before its newest event time are deleted in one
 * sweep of the table by block windows, at most SEEN_EVENT_SWEEPS_PER_HORIZON times per horizon: the
 * newest event time but at most now, so that one event stamped in the future does not make the
 * model forget the ids of its present.
 */
export class RetentionService {
  constructor(
    private readonly store: RetentionStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly dedupHorizonMs: number,
  ) {}

  private lastSweep = Number.NEGATIVE_INFINITY;

  async run(): Promise<RetentionOutcome> {
    const now = this.clock.now();
    const expiredLabels = await this.store.pendingLabels.expire(new Date(now));
    const horizons = (await this.store.models.findAll()).flatMap((m) => horizonOf(m.id, m.settings));
    for (const { modelId, horizonMs, sizeMs, task } of horizons) {
      await this.store.windowSummaries.deleteBefore(modelId, new Date(now - horizonMs));
      if (!task) continue;
      await this.store.predictionLog.deleteBefore(modelId, new Date(now - horizonMs));
      await this.store.performancePanes.deleteBefore(modelId, new Date(now - horizonMs - sizeMs));
    }
    const longest = Math.max(
      parseDuration(MODEL_SPEC_DEFAULTS.labelHorizon),
      ...horizons.filter((h) => h.task).map((h) => h.horizonMs),
    );
    const droppedPartitions = await this.store.predictionLog.dropPartitionsBefore(
      new Date(now - longest - DAY_MS),
    );
    if (expiredLabels > 0 || droppedPartitions.length > 0) {
      this.logger.info({ expiredLabels, droppedPartitions }, 'performance retention');
    }
    const forgottenEventIds = await this.forgetEventIds(now);
    if (forgottenEventIds > 0) {
      this.logger.info({ forgottenEventIds, dedupHorizonMs: this.dedupHorizonMs }, 'dedup retention');
    }
    return { expiredLabels, droppedPartitions, forgottenEventIds };
  }

  /** One sweep of seen_events, block window after block window, every model against its own cutoff. */
  private async forgetEventIds(now: number): Promise<number> {
    if (now - this.lastSweep < this.dedupHorizonMs / SEEN_EVENT_SWEEPS_PER_HORIZON) return 0;
    this.lastSweep = now;
    const cutoffs = (await this.store.seenEvents.newest()).map(({ modelId, eventTime }) => ({
      modelId,
      before: new Date(Math.min(eventTime.getTime(), now) - this.dedupHorizonMs),
    }));
    if (cutoffs.length === 0) return 0;
    let forgotten = 0;
    for (let block: number | null = 0; block !== null;) {
      const { deleted, next } = await this.store.seenEvents.deleteBefore(cutoffs, block, SEEN_EVENTS_BLOCKS);
      forgotten += deleted;
      block = next;
    }
    return forgotten;
  }
}

function horizonOf(modelId: string, settings: Record<string, unknown>): Horizon[] {
  if (typeof settings.window !== 'object' || settings.window === null) return [];
  try {
    const horizon =
      typeof settings.labelHorizon === 'string' ? settings.labelHorizon : MODEL_SPEC_DEFAULTS.labelHorizon;
    const window = parseWindowSpec(settings.window as { size: string; step: string });
    return [
      { modelId, horizonMs: parseDuration(horizon), sizeMs: window.size, task: settings.task !== undefined },
    ];
  } catch {
    return [];
  }
}
