import type { MetricsSnapshot } from './service.metrics';

/** Every message Driftline's cluster code sends has a type with this prefix; others are ignored. */
export const CLUSTER_MESSAGE_PREFIX = 'driftline:';

/** A worker asks the primary for the other workers' series (at each scrape of its /metrics). */
export interface MetricsRequest {
  type: 'driftline:metrics-request';
  id: number;
}
/** The primary's reply to a MetricsRequest: the series of the workers that answered in time. */
export interface MetricsReply {
  type: 'driftline:metrics-reply';
  id: number;
  series: MetricsSnapshot[];
  /** Workers asked that did not answer in time: their series are not in `series`. */
  missing: number[];
}
/** The primary asks a worker for its own series, on behalf of another worker's request. */
export interface MetricsAsk {
  type: 'driftline:metrics-ask';
  id: number;
}
/** A worker's series, answering a MetricsAsk. */
export interface MetricsAnswer {
  type: 'driftline:metrics-answer';
  id: number;
  series: MetricsSnapshot;
}

export type ClusterMessage = MetricsRequest | MetricsReply | MetricsAsk | MetricsAnswer;

/** Whether an IPC message is one of Driftline's (its type has the `driftline:` prefix). */
export function isClusterMessage(message: unknown): message is ClusterMessage {
  if (typeof message !== 'object' || message === null) return false;
  const { type, id } = message as { type?: unknown; id?: unknown };
  return typeof type === 'string' && type.startsWith(CLUSTER_MESSAGE_PREFIX) && typeof id === 'number';
}
