import autocannon from 'autocannon';
import { processTreeCpuMs } from '../../infra/proc/process-tree';
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
  /**
   * The api's CPU time (user + system, /proc/<pid>/stat of the process and its cluster workers) per
   * event in 202-answered requests, µs; null off Linux.
   */
  apiCpuUsPerEvent: number | null;
}

/**
 * POST /v1/predictions with `bodies` pre-built JSON arrays of `batchSize` events, cycled by every
 * connection, for `seconds`; what counts is the 202 answers (the api has the events acknowledged
 * by Kafka, acks -1 and idempotent, before it answers), and the api's CPU time per such event.
 */
export async function benchHttpIngest(
  api: { url: string; pid: number },
  apiKey: string,
  dataset: BenchDataset,
  options: HttpIngestOptions,
): Promise<HttpIngestResult> {
  const now = Date.now();
  const bodies = Array.from({ length: options.bodies }, () =>
    JSON.stringify(Array.from({ length: options.batchSize }, () => dataset.next(now))),
  );
  const cpuBefore = processTreeCpuMs(api.pid);
  const result = await autocannon({
    url: api.url,
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
  const cpuAfter = processTreeCpuMs(api.pid);
  const accepted = result['2xx'];
  const events = accepted * options.batchSize;
  return {
    ...options,
    acceptedRequests: accepted,
    otherResponses: result.non2xx,
    errors: result.errors,
    eventsPerSecond: events / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    bodyBytes: Math.round(bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length),
    apiCpuUsPerEvent:
      cpuBefore === null || cpuAfter === null || events === 0
        ? null
        : ((cpuAfter - cpuBefore) * 1000) / events,
  };
}
