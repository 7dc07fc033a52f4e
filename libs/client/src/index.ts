export { DriftlineClient } from './driftline.client';
export {
  DEFAULT_TUNING,
  type ClientTuning,
  type DriftlineClientOptions,
  type HttpTarget,
  type KafkaTarget,
  type TransportOptions,
} from './client.options';
export { DROP_REASONS, type ClientError, type ClientStats, type DropReason } from './client.stats';
export { buildEvent, validateEvent } from './event.builder';
export {
  kindOf,
  type DriftlineEvent,
  type EventKind,
  type GroundTruthInput,
  type PredictionInput,
} from './event.kinds';
export { describeHttpError, HttpTransport, unreachable, type HttpTransportOptions } from './http.transport';
export { KafkaTransport, type KafkaTransportOptions } from './kafka.transport';
export { sendWithRetries, type BatchResult, type RetryPolicy } from './retrying.send';
export type { EventTransport, FailedOutcome, SendOutcome } from './send.outcome';
export { createTransport } from './transport.factory';
