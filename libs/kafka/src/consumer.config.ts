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

/**
 * The fetch settings of a consumer that commits every `commitIntervalMs` (> 0): a fetch waits at the
 * broker, up to CONSUMER_MAX_WAIT_MS (or the interval if shorter), for a partition's worth of bytes
 * (or CONSUMER_MIN_BYTES if more). So a caught-up consumer fetches a few times an interval, not in a
 * loop of fetches of a few records each (whose fixed cost in kafkajs would eat the interval's gain),
 * and a record waits at the broker no longer than that; with a backlog the bytes are there and the
 * fetch returns at once.
 */
export function intervalFetchSettings(settings: FetchSettings, commitIntervalMs: number): FetchSettings {
  if (commitIntervalMs <= 0) return settings;
  return {
    ...settings,
    minBytes: Math.max(settings.minBytes ?? 1, settings.maxBytesPerPartition ?? 1024 * 1024),
    maxWaitMs: Math.min(settings.maxWaitMs ?? 5000, commitIntervalMs),
  };
}
