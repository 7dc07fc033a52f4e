jest.setTimeout(180_000);

import { topicNames, type PredictionEvent } from '@driftline/contracts';
import {
  consumeMessages,
  createIsolatedDatabase,
  createTopics,
  TEST_ADMIN_KEY,
  TEST_AUTHORIZATION,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { freePort } from '../infra/net/free-port';
import { childPids } from '../infra/proc/process-tree';
import { runBuilt, type Child } from './e2e/e2e.stack';
import { PredictionFactory } from './factories/event.factory';
import { parseSamples, sumOf } from './observability/prometheus.text';

const WORKERS = 2;

/** One HTTP request on a connection of its own (no keep-alive): the cluster may hand it to any worker. */
function once(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          connection: 'close',
          authorization: TEST_AUTHORIZATION,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON log lines of the process group (the primary's and every worker's). */
function logLines(child: Child): Record<string, unknown>[] {
  return child
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const exitOf = async (child: Child): Promise<[number | null, NodeJS.Signals | null]> =>
  (await child.exited) as [number | null, NodeJS.Signals | null];

// Needs `npm run build`: the api runs from dist/, as `npm run start:api` runs it.
describe(`the api as ${WORKERS} processes sharing its port (API_WORKERS)`, () => {
  let database: IsolatedDatabase;
  const prefix = `${uniqueName('cluster')}.`;
  const children: Child[] = [];

  beforeAll(async () => {
    database = await createIsolatedDatabase();
    await createTopics(testKafkaBrokers(), Object.values(topicNames(prefix)), 3);
  });

  afterAll(async () => {
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
        await child.exited;
      }
    }
    await database?.drop();
  });

  /** Starts the built api with API_WORKERS=2 and waits until both workers listen. */
  async function startCluster(): Promise<{ child: Child; port: number; workers: number[] }> {
    const port = await freePort();
    const child = runBuilt('services/api/src/main.js', [], {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testKafkaBrokers(),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_PARTITIONS: '3',
      DATABASE_POOL_SIZE: '4',
      API_PORT: String(port),
      API_WORKERS: String(WORKERS),
      DRIFTLINE_ADMIN_KEY: TEST_ADMIN_KEY,
      LOG_LEVEL: 'info',
    });
    children.push(child);
    await waitFor(
      () => {
        if (child.process.exitCode !== null) throw new Error(`the api exited:\n${child.output()}`);
        return logLines(child).filter((l) => l.msg === 'api listening').length === WORKERS;
      },
      { timeoutMs: 90_000, intervalMs: 100, message: 'both api workers listening' },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${child.output()}`);
    });
    const pid = child.process.pid!;
    return { child, port, workers: childPids(pid) };
  }

  describe('serving', () => {
    let cluster: Awaited<ReturnType<typeof startCluster>>;
    const REQUESTS = 20;
    const PER_REQUEST = 10;
    const sent: PredictionEvent[] = [];

    beforeAll(async () => {
      cluster = await startCluster();
    });

    it('is one primary with two worker processes', () => {
      expect(cluster.workers).toHaveLength(WORKERS);
    });

    it('answers every ingestion 202, from both workers, and Kafka holds each event once', async () => {
      const modelId = uniqueName('cluster-model');
      for (let r = 0; r < REQUESTS; r++) {
        const events = Array.from({ length: PER_REQUEST }, () => PredictionFactory.create({ modelId }));
        sent.push(...events);
        const { status, text } = await once(cluster.port, 'POST', '/v1/predictions', JSON.stringify(events));
        expect([status, text]).toEqual([202, expect.any(String)]);
      }
      // every request line says which worker answered it
      const served = await waitFor(
        () => {
          const lines = logLines(cluster.child).filter(
            (l) => l.msg === 'request' && l.route === '/v1/predictions' && l.status === 202,
          );
          return lines.length === REQUESTS ? lines : null;
        },
        { message: 'a request line for every ingestion' },
      );
      const byWorker = new Map<unknown, number>();
      for (const line of served) byWorker.set(line.worker, (byWorker.get(line.worker) ?? 0) + 1);
      expect([...byWorker.keys()].sort()).toEqual([1, 2]);

      const consumed = await consumeMessages(
        testKafkaBrokers(),
        topicNames(prefix).predictions,
        sent.length,
        60_000,
      );
      const ids = consumed.map((m) => (JSON.parse(m.value ?? '{}') as PredictionEvent).eventId);
      expect(new Set(ids)).toEqual(new Set(sent.map((e) => e.eventId)));
    });

    it('/metrics sums both workers, whichever one is scraped', async () => {
      // several scrapes on fresh connections: each worker answers some of them
      for (let i = 0; i < 4; i++) {
        const { status, text } = await once(cluster.port, 'GET', '/metrics');
        expect(status).toBe(200);
        const samples = parseSamples(text);
        const accepted = { method: 'POST', route: '/v1/predictions', status: '202' };
        expect(sumOf(samples, 'driftline_http_requests_total', accepted)).toBe(REQUESTS);
        expect(
          sumOf(samples, 'driftline_http_request_duration_seconds_count', { route: '/v1/predictions' }),
        ).toBe(REQUESTS);
        // one series per name and labels: the workers' are added up, not listed side by side
        expect(samples.filter((s) => s.name === 'driftline_process_cpu_seconds_total')).toHaveLength(1);
        expect(sumOf(samples, 'driftline_auth_disabled')).toBe(0);
        // both workers' series are in: the scrape says it is complete
        expect(samples.filter((s) => s.name === 'driftline_metrics_incomplete').map((s) => s.value)).toEqual([
          0,
        ]);
      }
    });

    it('SIGTERM stops both workers and the process exits 0', async () => {
      const { child, workers } = cluster;
      child.process.kill('SIGTERM');
      expect(await exitOf(child)).toEqual([0, null]);
      for (const pid of workers) expect([pid, existsSync(`/proc/${pid}`)]).toEqual([pid, false]);
    });
  });

  it('a worker that dies ends the process with exit 1, the other worker stopped', async () => {
    const { child, workers } = await startCluster();
    expect(workers).toHaveLength(WORKERS);
    const [killed, survivor] = workers;
    process.kill(killed, 'SIGKILL');
    expect(await exitOf(child)).toEqual([1, null]);
    expect(existsSync(`/proc/${survivor}`)).toBe(false);
    const fatal = logLines(child).find((l) => l.level === 60);
    expect(fatal).toMatchObject({ pid: killed, signal: 'SIGKILL' });
  });
});
