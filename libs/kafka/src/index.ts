export { createKafka } from './kafka.factory';
export type { KafkaClientOptions } from './kafka.factory';
export { ensureTopics } from './topic.admin';
export type { TopicSpec } from './topic.admin';
export { createClientProducer, createIdempotentProducer, KafkaEventPublisher } from './event.publisher';
export type { EventPublisher, OutgoingMessage, PublisherOptions } from './event.publisher';
export { KafkaDeadLetterSink } from './dead-letter.sink';
export type { DeadLetterSink } from './dead-letter.sink';
export { consumerConfig, intervalFetchSettings } from './consumer.config';
export type { FetchSettings } from './consumer.config';
export { BatchConsumer, topicRoute } from './batch.consumer';
export type {
  BatchCommitReport,
  BatchConsumerOptions,
  BatchConsumerStats,
  BatchHandler,
  ConsumedRecord,
  OffsetLedger,
  OffsetStore,
  TopicRoute,
  ValidBatch,
} from './batch.consumer';
export { decideFence } from './offset.fence';
export { findMismatch, recordFingerprint, verifyingOffset } from './offset.mismatch';
export type {
  OffsetMismatch,
  OffsetMismatchPolicy,
  OffsetResetEntry,
  OffsetResetReason,
  StoredPosition,
} from './offset.mismatch';
export type { Logger } from './logger';
export { silentLogger } from './logger';
