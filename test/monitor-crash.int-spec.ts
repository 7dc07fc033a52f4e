import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicNames } from '@driftline/contracts';
import { ensureTopics } from '@driftline/kafka';
import {
  createIsolatedDatabase,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { freePort } from '../infra/net/free-port';
import { PredictionFactory } from './factories/event.factory';
import {
  readMetrics,
  SERVICE_HOOK_TIMEOUT_MS,
  serviceEnv,
  sumMetric,
  testPrefix,
} from './helpers/driftline.harness';

const MONITOR_MAIN = join(__dirname, '..', 'dist', 'services', 'monitor', 'src', 'main.js');
const TOTAL = 10_000;
const SEND_SIZE = 250;
const MODELS = 4;

/** The built monitor as its own process, output kept for the failure message. */
class MonitorProcess {
  private child?: ChildProcess;
  readonly output: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  start(): void {
    const child = spawn(process.execPath, [MONITOR_MAIN], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  tail(lines = 30): string {
    return this.output.slice(-lines).join('\n');
  }
}

async function storedOffsets(databaseUrl: string, groupId: string, topic: string): Promise<bigint> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: string | null }>(
      'SELECT sum(next_offset)::text AS total FROM consumer_offsets WHERE group_id = $1 AND topic = $2',
      [groupId, topic],
    );
    return BigInt(rows[0].total ?? '0');
  } finally {
    await client.end();
  }
}

describe('monitor process killed with SIGKILL mid-stream', () => {
  let database: IsolatedDatabase;
  let producer: Producer;
  let monitor: MonitorProcess;
  let topicOffsets: () => Promise<bigint>;
  const prefix = testPrefix('it-crash');
  const topics = topicNames(prefix);

  beforeAll(async () => {
    if (!existsSync(MONITOR_MAIN)) throw new Error(`${MONITOR_MAIN} is missing: run npm run build first`);
    database = await createIsolatedDatabase();
    const kafka = new Kafka({
      clientId: uniqueName('crash-test'),
      brokers: [testKafkaBrokers()],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(topics), { partitions: 3, replicationFactor: 1 });
    await admin.disconnect();
    // idempotent: a retried send must not put duplicates in the log this test counts
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    topicOffsets = async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(topics.predictions);
        return offsets.reduce((sum, p) => sum + BigInt(p.high) - BigInt(p.low), 0n);
      } finally {
        await admin.disconnect();
      }
    };
    await producer.connect();
    monitor = new MonitorProcess(
      serviceEnv(prefix, database.url, { MONITOR_PORT: String(await freePort()), LOG_LEVEL: 'warn' }),
    );
  }, SERVICE_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await monitor?.kill('SIGTERM');
    if (process.env.DRIFTLINE_TEST_KEEP_LOGS)
      writeFileSync(join(tmpdir(), `${prefix}monitor.log`), monitor.output.join('\n'));
    await producer?.disconnect();
    await database?.drop();
  }, SERVICE_HOOK_TIMEOUT_MS);

  it('counts each of 10,000 events exactly once after a restart', async () => {
    const models = Array.from({ length: MODELS }, (_, i) => uniqueName(`crash-model-${i}`));
    const send = async (from: number, to: number) => {
      for (let start = from; start < to; start += SEND_SIZE) {
        const events = Array.from({ length: Math.min(SEND_SIZE, to - start) }, (_, i) => {
          const n = start + i;
          const modelId = models[n % MODELS];
          const timestamp = new Date(Date.UTC(2024, 4, 1, 12, Math.floor(n / 1000))).toISOString();
          return PredictionFactory.create({
            modelId,
            timestamp,
            features: { x: n, y: n % 7 === 0 ? null : 'a' },
          });
        });
        await producer.send({
          topic: topics.predictions,
          messages: events.map((e) => ({ key: e.modelId, value: JSON.stringify(e) })),
        });
      }
    };
    const counted = () => sumMetric(database.url, models, 'prediction_count');

    monitor.start();
    await send(0, 4_000);
    // kill while the monitor is working through the backlog
    const before = await waitFor(async () => ((await counted()) >= 1_000 ? await counted() : 0), {
      timeoutMs: 90_000,
      intervalMs: 20,
      message: 'the monitor counting',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${monitor.tail()}`);
    });
    await monitor.kill('SIGKILL');
    const atKill = await counted();
    // what Postgres holds is consistent: as many counted as offsets stored
    expect(await storedOffsets(database.url, `${prefix}driftline-monitor`, topics.predictions)).toBe(
      BigInt(atKill),
    );
    await send(4_000, TOTAL);
    expect(await topicOffsets()).toBe(BigInt(TOTAL));

    monitor.start();
    await waitFor(async () => (await counted()) === TOTAL, {
      timeoutMs: 120_000,
      message: 'all events counted',
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${await counted()} counted\n${monitor.tail()}`);
    });
    // nothing arrives late or twice
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await counted()).toBe(TOTAL);
    expect(before).toBeGreaterThanOrEqual(1_000);
    expect(atKill).toBeLessThan(TOTAL);

    const rows = await readMetrics(database.url, models);
    for (const modelId of models) {
      const perModel = rows.filter((r) => r.modelId === modelId && r.metric === 'prediction_count');
      expect(perModel.reduce((s, r) => s + r.value, 0)).toBe(TOTAL / MODELS);
    }
    const nullsOfY = rows
      .filter((r) => r.metric === 'missing_count' && r.feature === 'y')
      .reduce((s, r) => s + r.value, 0);
    expect(nullsOfY).toBe(Math.ceil(TOTAL / 7));
    expect(await storedOffsets(database.url, `${prefix}driftline-monitor`, topics.predictions)).toBe(
      BigInt(TOTAL),
    );
  }, 300_000);
});
