import type { ConsumerConfig } from 'kafkajs';

/** How a consumer fetches: CONSUMER_* and KAFKA_SESSION_TIMEOUT_MS (config.consumer carries these names). */
export interface FetchSettings {
  sessionTimeoutMs?: number;
  /** Most bytes fetched per partition (one batch); a fetch takes up to 4 such batches. */
  maxBytesPerPartition?: number;
  /** A fetch waits for this many bytes, up to maxWaitMs (kafkajs minBytes, maxWaitTimeInMs). */
  minBytes?: number;
  maxWaitMs?: number;
}

/**
 * The kafkajs consumer settings of a BatchConsumer; `npm run bench` builds its bare consumer from
 * them too, so that both fetch alike. Unset values are kafkajs defaults.
 */
export function consumerConfig(groupId: string, settings: FetchSettings): ConsumerConfig {
  const sessionTimeout = settings.sessionTimeoutMs ?? 30_000;
  return {
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout,
    heartbeatInterval: Math.min(3000, Math.floor(sessionTimeout / 3)),
    ...(settings.maxBytesPerPartition === undefined
      ? {}
      : {
          maxBytesPerPartition: settings.maxBytesPerPartition,
          maxBytes: Math.max(10 * 1024 * 1024, 4 * settings.maxBytesPerPartition),
        }),
    ...(settings.minBytes === undefined ? {} : { minBytes: settings.minBytes }),
    ...(settings.maxWaitMs === undefined ? {} : { maxWaitTimeInMs: settings.maxWaitMs }),
  };
}
