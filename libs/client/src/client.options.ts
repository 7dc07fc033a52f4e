import type { HttpTransportOptions } from './http.transport';
import type { KafkaTransportOptions } from './kafka.transport';
import type { EventTransport } from './send.outcome';
import type { RetryPolicy } from './retrying.send';
import type { ClientError } from './client.stats';

export type HttpTarget = { transport: 'http' } & Omit<HttpTransportOptions, 'requestTimeoutMs'>;
export type KafkaTarget = { transport: 'kafka' } & Omit<KafkaTransportOptions, 'requestTimeoutMs'>;

export type TransportOptions =
  | HttpTarget
  | KafkaTarget
  /** Any other way to send, e.g. a stand-in under test. */
  | { transport: EventTransport };

export interface ClientTuning {
  /** Events of one kind sent together: one POST, or one Kafka produce request. */
  batchSize: number;
  /** How long a batch that is not full waits for more events. */
  lingerMs: number;
  /** Events held (waiting or being sent) at most; more are dropped, never waited for. */
  maxBuffered: number;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  /** How long close() (and flush() when given no limit) goes on sending. */
  closeTimeoutMs: number;
}

export type DriftlineClientOptions = TransportOptions &
  Partial<Omit<ClientTuning, 'retry'>> & {
    retry?: Partial<RetryPolicy>;
    /** Told of every drop; without it the client writes a line to stderr at most once per reason every 10 s. */
    onError?: (error: ClientError) => void;
  };

/** The API accepts up to INGEST_MAX_BATCH (1000 by default) events a request. */
export const DEFAULT_TUNING: ClientTuning = {
  batchSize: 100,
  lingerMs: 200,
  maxBuffered: 10_000,
  retry: { maxAttempts: 5, baseMs: 200, maxMs: 10_000 },
  requestTimeoutMs: 10_000,
  closeTimeoutMs: 10_000,
};

/** The tuning with the caller's values over the defaults; an impossible value is the caller's bug. */
export function clientTuning(options: DriftlineClientOptions): ClientTuning {
  const tuning: ClientTuning = {
    batchSize: options.batchSize ?? DEFAULT_TUNING.batchSize,
    lingerMs: options.lingerMs ?? DEFAULT_TUNING.lingerMs,
    maxBuffered: options.maxBuffered ?? DEFAULT_TUNING.maxBuffered,
    retry: { ...DEFAULT_TUNING.retry, ...options.retry },
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_TUNING.requestTimeoutMs,
    closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_TUNING.closeTimeoutMs,
  };
  const positive: [string, number][] = [
    ['batchSize', tuning.batchSize],
    ['maxBuffered', tuning.maxBuffered],
    ['retry.maxAttempts', tuning.retry.maxAttempts],
    ['requestTimeoutMs', tuning.requestTimeoutMs],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1)
      throw new TypeError(`DriftlineClient: ${name} must be a positive integer`);
  }
  return tuning;
}
