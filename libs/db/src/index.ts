export { openDatabase } from './database';
export type { Database, UnitOfWork } from './database';
export type { DataSourceOptions } from './data-source.factory';
export type {
  MetricPoint,
  MetricPointQuery,
  MetricPointRepository,
} from './repositories/metric-point.repository';
export type {
  ConsumerOffsetRepository,
  OffsetReset,
  OffsetResetQuery,
  OffsetResetReason,
  PartitionOffset,
  PartitionPosition,
  StoredOffsetReset,
  StoredPosition,
} from './repositories/consumer-offset.repository';
export type { OutboxMessage, OutboxRepository, StoredOutboxMessage } from './repositories/outbox.repository';
export type { OperatorState, OperatorStateRepository } from './repositories/operator-state.repository';
export type { ModelRecord, ModelRepository } from './repositories/model.repository';
export type {
  ReferenceProfileRepository,
  StoredReferenceProfile,
} from './repositories/reference-profile.repository';
export type {
  WindowPageQuery,
  WindowResult,
  WindowResultRepository,
} from './repositories/window-result.repository';
export type {
  ModelDefinitionRecord,
  ModelDefinitionRepository,
} from './repositories/model-definition.repository';
export type { ModelLockRepository } from './repositories/model-lock.repository';
export type {
  LabelledPrediction,
  LabelOutcome,
  LoggedPrediction,
  PredictionLabel,
  PredictionLogRepository,
} from './repositories/prediction-log.repository';
export type {
  PendingGroundTruthRepository,
  PendingLabel,
} from './repositories/pending-ground-truth.repository';
export type { PerformancePane, PerformancePaneRepository } from './repositories/performance-pane.repository';
export type {
  ClosedWindowFacts,
  StoredWindowSummary,
  WindowSummaryRepository,
} from './repositories/window-summary.repository';
export { WINDOWS_CLOSED_CHANNEL } from './repositories/pending-evaluation.repository';
export type {
  PendingEvaluation,
  PendingEvaluationRepository,
  PendingWindowKey,
} from './repositories/pending-evaluation.repository';
export type { ChannelListener } from './channel.listener';
export type {
  NewestSeenEvent,
  SeenEvent,
  SeenEventKey,
  SeenEventKind,
  SeenEventRepository,
} from './repositories/seen-event.repository';
export type { MonitorQuery, MonitorRecord, MonitorRepository } from './repositories/monitor.repository';
export type {
  RuleStateKey,
  RuleStateRecord,
  RuleStateRepository,
} from './repositories/rule-state.repository';
export type { AlertQuery, AlertRecord, AlertRepository, StoredAlert } from './repositories/alert.repository';
export type { AlertAck, AlertAckRepository } from './repositories/alert-ack.repository';
export type {
  PipelinePageQuery,
  PipelineRecord,
  PipelineRepository,
  PipelineWrite,
} from './repositories/pipeline.repository';
export { RETRAIN_DELIVERY_STATUSES } from './repositories/retrain-delivery.repository';
export type {
  AttemptOutcome,
  AttemptResult,
  ClaimedDelivery,
  NewRetrainDelivery,
  RetrainCooldown,
  RetrainDeliveryQuery,
  RetrainDeliveryRepository,
  RetrainDeliveryStatus,
  StoredAttempt,
  StoredRetrainDelivery,
} from './repositories/retrain-delivery.repository';
export type {
  ChannelPageQuery,
  ChannelRecord,
  ChannelSettings,
  ChannelWrite,
  NotificationChannelRepository,
} from './repositories/notification-channel.repository';
export type {
  NotificationRouteRepository,
  RoutePageQuery,
  RouteRecord,
  RouteWrite,
} from './repositories/notification-route.repository';
export type {
  SilencePageQuery,
  SilenceRecord,
  SilenceRepository,
  SilenceState,
  SilenceWrite,
} from './repositories/silence.repository';
export type {
  AlertChange,
  AlertGroupRepository,
  GroupFlush,
  GroupLogEntry,
  GroupMember,
  GroupOpening,
  StoredGroup,
} from './repositories/alert-group.repository';
export { NOTIFICATION_STATUSES } from './repositories/notification.repository';
export type {
  ClaimedNotification,
  NewNotification,
  NotificationAttemptOutcome,
  NotificationAttemptResult,
  NotificationKind,
  NotificationQuery,
  NotificationRepository,
  NotificationStatus,
  StoredNotification,
  StoredNotificationAttempt,
} from './repositories/notification.repository';
export type { ApiKeyPageQuery, ApiKeyRecord, ApiKeyRepository } from './repositories/api-key.repository';
