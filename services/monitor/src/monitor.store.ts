import type {
  AlertRepository,
  LoggedPrediction,
  MonitorRepository,
  OutboxRepository,
  RuleStateRepository,
  MetricPointRepository,
  ModelLockRepository,
  OperatorStateRepository,
  PendingGroundTruthRepository,
  PerformancePaneRepository,
  PendingEvaluationRepository,
  PredictionLogRepository,
  WindowSummaryRepository,
} from '@driftline/db';
import type { ModelDefinition } from './monitored.model';
import type { WindowPerformance } from './performance.summary';
import type { WindowResultRow } from './window.result';

export interface WindowResultStore {
  upsert(rows: WindowResultRow[]): Promise<void>;
  /** The model's stored windows of length `size` ms that overlap event times [from, to). */
  overlapping(modelId: string, from: Date, to: Date, size: number): Promise<WindowResultRow[]>;
  patchPerformance(
    modelId: string,
    windowStart: Date,
    windowEnd: Date,
    performance: WindowPerformance,
  ): Promise<void>;
}

export interface ModelDefinitionStore {
  /**
   * Definitions of the models that exist among `modelIds`; the profile of a reference among
   * `knownReferenceIds` is not read (null).
   */
  find(modelIds: string[], knownReferenceIds: readonly string[]): Promise<Map<string, StoredDefinition>>;
}

/** A definition as read: the reference's profile is null when the reader holds it already. */
export interface StoredDefinition {
  spec: ModelDefinition['spec'];
  reference: { id: string; profile: unknown | null } | null;
}

/** The repositories the monitor pipeline uses, bound to the batch's transaction. */
export interface MonitorUnitOfWork {
  definitions: ModelDefinitionStore;
  metrics: Pick<MetricPointRepository, 'upsert'>;
  windowState: OperatorStateRepository;
  paneState: OperatorStateRepository;
  windows: WindowResultStore;
  predictionLog: Pick<PredictionLogRepository, 'append' | 'label'>;
  pendingLabels: PendingGroundTruthRepository;
  performancePanes: PerformancePaneRepository;
  modelLocks: ModelLockRepository;
  windowSummaries: Pick<WindowSummaryRepository, 'save'>;
  pendingEvaluations: PendingEvaluationRepository;
  monitors: Pick<MonitorRepository, 'forModels'>;
  ruleStates: RuleStateRepository;
  alerts: Pick<AlertRepository, 'save'>;
  outbox: Pick<OutboxRepository, 'add'>;
}

/** Adds the day partitions of the prediction log, outside the batch transaction. */
export interface PredictionLogPartitions {
  ensurePartitions(eventTimes: Date[]): Promise<void>;
}

export type { LoggedPrediction };
