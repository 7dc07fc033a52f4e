import autocannon from 'autocannon';
import type { BenchDataset } from './prediction.generator';

export interface HttpIngestOptions {
  batchSize: number;
  bodies: number;
  connections: number;
  seconds: number;
}

export interface HttpIngestResult extends HttpIngestOptions {
  acceptedRequests: number;
  otherResponses: number;
  errors: number;
  /** Events in 202-answered requests per second of the run. */
  eventsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  bodyBytes: number;
}

/**
 * POST /v1/predictions with `bodies` pre-built JSON arrays of `batchSize` events, cycled by every
 * connection, for `seconds`; what counts is the 202 answers (the api has the events acknowledged
 * by Kafka, acks -1 and idempotent, before it answers).
 */
export async function benchHttpIngest(
  apiUrl: string,
  apiKey: string,
  dataset: BenchDataset,
  options: HttpIngestOptions,
): Promise<HttpIngestResult> {
  const now = Date.now();
  const bodies = Array.from({ length: options.bodies }, () =>
    JSON.stringify(Array.from({ length: options.batchSize }, () => dataset.next(now))),
  );
  const result = await autocannon({
    url: apiUrl,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    requests: bodies.map((body) => ({
      method: 'POST',
      path: '/v1/predictions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body,
    })),
  });
  const accepted = result['2xx'];
  return {
    ...options,
    acceptedRequests: accepted,
    otherResponses: result.non2xx,
    errors: result.errors,
    eventsPerSecond: (accepted * options.batchSize) / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    bodyBytes: Math.round(bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length),
  };
}
