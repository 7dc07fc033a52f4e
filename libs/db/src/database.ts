import { Client } from 'pg';
import { TypeOrmApiKeyRepository, type ApiKeyRepository } from './repositories/api-key.repository';
import { TypeOrmAlertRepository, type AlertRepository } from './repositories/alert.repository';
import { TypeOrmAlertAckRepository, type AlertAckRepository } from './repositories/alert-ack.repository';
import {
  TypeOrmAlertGroupRepository,
  type AlertGroupRepository,
} from './repositories/alert-group.repository';
import {
  TypeOrmNotificationChannelRepository,
  type NotificationChannelRepository,
} from './repositories/notification-channel.repository';
import {
  TypeOrmNotificationRouteRepository,
  type NotificationRouteRepository,
} from './repositories/notification-route.repository';
import {
  TypeOrmNotificationRepository,
  type NotificationRepository,
} from './repositories/notification.repository';
import { TypeOrmSilenceRepository, type SilenceRepository } from './repositories/silence.repository';
import { TypeOrmMonitorRepository, type MonitorRepository } from './repositories/monitor.repository';
import { TypeOrmRuleStateRepository, type RuleStateRepository } from './repositories/rule-state.repository';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource, type DataSourceOptions } from './data-source.factory';
import {
  TypeOrmConsumerOffsetRepository,
  type ConsumerOffsetRepository,
} from './repositories/consumer-offset.repository';
import {
  TypeOrmMetricPointRepository,
  type MetricPointRepository,
} from './repositories/metric-point.repository';
import { TypeOrmModelRepository, type ModelRepository } from './repositories/model.repository';
import {
  TypeOrmOperatorStateRepository,
  type OperatorStateRepository,
} from './repositories/operator-state.repository';
import { TypeOrmOutboxRepository, type OutboxRepository } from './repositories/outbox.repository';
import { TypeOrmPipelineRepository, type PipelineRepository } from './repositories/pipeline.repository';
import {
  TypeOrmRetrainDeliveryRepository,
  type RetrainDeliveryRepository,
} from './repositories/retrain-delivery.repository';
import {
  TypeOrmModelDefinitionRepository,
  type ModelDefinitionRepository,
} from './repositories/model-definition.repository';
import { TypeOrmModelLockRepository, type ModelLockRepository } from './repositories/model-lock.repository';
import {
  TypeOrmPendingGroundTruthRepository,
  type PendingGroundTruthRepository,
} from './repositories/pending-ground-truth.repository';
import {
  TypeOrmPerformancePaneRepository,
  type PerformancePaneRepository,
} from './repositories/performance-pane.repository';
import {
  TypeOrmPredictionLogRepository,
  type PredictionLogRepository,
} from './repositories/prediction-log.repository';
import {
  TypeOrmReferenceProfileRepository,
  type ReferenceProfileRepository,
} from './repositories/reference-profile.repository';
import { TypeOrmSeenEventRepository, type SeenEventRepository } from './repositories/seen-event.repository';
import {
  TypeOrmWindowResultRepository,
  type WindowResultRepository,
} from './repositories/window-result.repository';
import {
  TypeOrmPendingEvaluationRepository,
  type PendingEvaluationRepository,
} from './repositories/pending-evaluation.repository';
import { listenOn, type ChannelListener } from './channel.listener';
import {
  TypeOrmWindowSummaryRepository,
  type WindowSummaryRepository,
} from './repositories/window-summary.repository';

/** The repositories, bound either to the pool or to one transaction. */
export interface UnitOfWork {
  models: ModelRepository;
  metrics: MetricPointRepository;
  offsets: ConsumerOffsetRepository;
  outbox: OutboxRepository;
  windowState: OperatorStateRepository;
  paneState: OperatorStateRepository;
  references: ReferenceProfileRepository;
  windows: WindowResultRepository;
  modelDefinitions: ModelDefinitionRepository;
  modelLocks: ModelLockRepository;
  predictionLog: PredictionLogRepository;
  pendingLabels: PendingGroundTruthRepository;
  performancePanes: PerformancePaneRepository;
  windowSummaries: WindowSummaryRepository;
  pendingEvaluations: PendingEvaluationRepository;
  monitors: MonitorRepository;
  ruleStates: RuleStateRepository;
  alerts: AlertRepository;
  alertAcks: AlertAckRepository;
  seenEvents: SeenEventRepository;
  pipelines: PipelineRepository;
  retrainDeliveries: RetrainDeliveryRepository;
  channels: NotificationChannelRepository;
  routes: NotificationRouteRepository;
  silences: SilenceRepository;
  alertGroups: AlertGroupRepository;
  notifications: NotificationRepository;
  apiKeys: ApiKeyRepository;
}

export interface Database extends UnitOfWork {
  /** Runs work in one transaction: everything it writes commits together or not at all. */
  transaction<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T>;
  /** Throws if Postgres does not answer. */
  ping(): Promise<void>;
  /** A Postgres setting as a connection of the pool has it (e.g. the `settings` it was opened with). */
  setting(name: string): Promise<string>;
  /** Hears NOTIFY on `channel` on a connection of its own (see listenOn). */
  listen(channel: string, onNotify: () => void): ChannelListener;
  close(): Promise<void>;
}

function unitOfWork(manager: EntityManager): UnitOfWork {
  return {
    models: new TypeOrmModelRepository(manager),
    metrics: new TypeOrmMetricPointRepository(manager),
    offsets: new TypeOrmConsumerOffsetRepository(manager),
    outbox: new TypeOrmOutboxRepository(manager),
    windowState: new TypeOrmOperatorStateRepository(manager, 'window_state'),
    paneState: new TypeOrmOperatorStateRepository(manager, 'pane_state'),
    modelDefinitions: new TypeOrmModelDefinitionRepository(manager),
    modelLocks: new TypeOrmModelLockRepository(manager),
    predictionLog: new TypeOrmPredictionLogRepository(manager),
    pendingLabels: new TypeOrmPendingGroundTruthRepository(manager),
    performancePanes: new TypeOrmPerformancePaneRepository(manager),
    references: new TypeOrmReferenceProfileRepository(manager),
    windows: new TypeOrmWindowResultRepository(manager),
    windowSummaries: new TypeOrmWindowSummaryRepository(manager),
    pendingEvaluations: new TypeOrmPendingEvaluationRepository(manager),
    monitors: new TypeOrmMonitorRepository(manager),
    ruleStates: new TypeOrmRuleStateRepository(manager),
    alerts: new TypeOrmAlertRepository(manager),
    alertAcks: new TypeOrmAlertAckRepository(manager),
    seenEvents: new TypeOrmSeenEventRepository(manager),
    pipelines: new TypeOrmPipelineRepository(manager),
    retrainDeliveries: new TypeOrmRetrainDeliveryRepository(manager),
    channels: new TypeOrmNotificationChannelRepository(manager),
    routes: new TypeOrmNotificationRouteRepository(manager),
    silences: new TypeOrmSilenceRepository(manager),
    alertGroups: new TypeOrmAlertGroupRepository(manager),
    notifications: new TypeOrmNotificationRepository(manager),
    apiKeys: new TypeOrmApiKeyRepository(manager),
  };
}

// Any constant works; it only has to be the same in every Driftline process.
const MIGRATION_LOCK_KEY = 4_211_733_001;

/** The lock is held on a connection of its own, outside the pool: a pool of 1 must still migrate. */
async function migrate(dataSource: DataSource, url: string): Promise<void> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.end().catch(() => undefined);
  }
}

/** Connects, runs pending migrations (never synchronize) and returns the repositories. */
export async function openDatabase(options: DataSourceOptions): Promise<Database> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  try {
    await migrate(dataSource, options.url);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return {
    ...unitOfWork(dataSource.manager),
    transaction: (work) => dataSource.transaction((manager) => work(unitOfWork(manager))),
    ping: async () => {
      await dataSource.query('SELECT 1');
    },
    setting: async (name) => {
      const [row]: { value: string }[] = await dataSource.query('SELECT current_setting($1) AS value', [
        name,
      ]);
      return row.value;
    },
    listen: (channel, onNotify) => listenOn(options.url, channel, onNotify),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
