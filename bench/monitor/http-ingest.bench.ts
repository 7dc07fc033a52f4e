import { readFileSync } from 'node:fs';
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
  /** The api's CPU time (user + system, /proc/<pid>/stat) per event in 202-answered requests, µs; null off Linux. */
  apiCpuUsPerEvent: number | null;
}

/** CPU time of a process so far, ms (utime + stime of /proc/<pid>/stat); null when unreadable. */
function processCpuMs(pid: number): number | null {
  try {
    // the fields after the command name, which ends with the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
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
  const cpuBefore = processCpuMs(api.pid);
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
  const cpuAfter = processCpuMs(api.pid);
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
