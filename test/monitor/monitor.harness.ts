import { openDatabase, type Database } from '@driftline/db';
import {
  topicNames,
  type GroundTruthEvent,
  type ModelSpec,
  type PredictionEvent,
} from '@driftline/contracts';
import {
  createIsolatedDatabase,
  createTopics,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';

const MAIN = join(__dirname, '../../dist/services/monitor/src/main.js');
const EVALUATION_LOOP = join(
  __dirname,
  '../../dist/services/monitor/src/evaluation/window-evaluation.loop.js',
);

/**
 * The environment of a monitor whose evaluation loop never starts: its batches close windows and
 * queue them, and nothing evaluates them (a crash between a window's close and its evaluation).
 */
export function withoutEvaluation(): Record<string, string> {
  const hook = join(mkdtempSync(join(tmpdir(), 'driftline-hook-')), 'no-evaluation.js');
  writeFileSync(
    hook,
    `require(${JSON.stringify(EVALUATION_LOOP)}).WindowEvaluationLoop.prototype.start = function () {};\n`,
  );
  return { NODE_OPTIONS: `--require ${hook}` };
}

export interface MonitorProcess {
  child: ChildProcess;
  /** Where its HTTP server (health, /metrics) listens. */
  port: number;
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * One isolated deployment: its own database and topic prefix on the shared broker, monitor
 * processes spawned from the build, and a producer for its topics.
 */
export class MonitorEnvironment {
  readonly prefix = `${uniqueName('mon')}.`;
  readonly topics = topicNames(this.prefix);
  readonly processes: MonitorProcess[] = [];
  private kafka = new Kafka({
    clientId: uniqueName('monitor-test'),
    brokers: testKafkaBrokers().split(','),
    logLevel: logLevel.NOTHING,
  });
  private producer: Producer | undefined;

  private constructor(
    readonly database: IsolatedDatabase,
    readonly db: Database,
    readonly partitions: number,
  ) {}

  static async create(partitions = 6): Promise<MonitorEnvironment> {
    const database = await createIsolatedDatabase();
    const db = await openDatabase({ url: database.url, poolSize: 4, applicationName: 'monitor-test' });
    const env = new MonitorEnvironment(database, db, partitions);
    await createTopics(testKafkaBrokers(), Object.values(env.topics), partitions);
    return env;
  }

  async registerModel(spec: ModelSpec, profile: Record<string, unknown>, rowCount: number): Promise<void> {
    await this.db.models.register(spec.modelId, null, spec as unknown as Record<string, unknown>);
    await this.db.references.save(spec.modelId, 'reference', rowCount, profile);
  }

  startMonitor(extraEnv: Record<string, string> = {}): Promise<MonitorProcess> {
    return freePort().then((port) => {
      let output = '';
      const child = spawn(process.execPath, [MAIN], {
        env: {
          ...process.env,
          DATABASE_URL: this.database.url,
          KAFKA_BROKERS: testKafkaBrokers(),
          KAFKA_TOPIC_PREFIX: this.prefix,
          KAFKA_PARTITIONS: String(this.partitions),
          KAFKA_SESSION_TIMEOUT_MS: '6000',
          MONITOR_PORT: String(port),
          DATABASE_POOL_SIZE: '4',
          LOG_LEVEL: 'warn',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const exited = once(child, 'exit');
      const handle: MonitorProcess = {
        child,
        port,
        output: () => output,
        kill: async (signal) => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill(signal);
            await exited;
          }
        },
      };
      this.processes.push(handle);
      return handle;
    });
  }

  async produce(
    topic: 'predictions' | 'groundTruth',
    events: (PredictionEvent | GroundTruthEvent)[],
  ): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    for (let i = 0; i < events.length; i += 500) {
      await this.producer.send({
        topic: this.topics[topic],
        messages: events.slice(i, i + 500).map((e) => ({ key: e.modelId, value: JSON.stringify(e) })),
      });
    }
  }

  /**
   * Waits until the monitor group's offsets in Postgres reach the end of both input topics and every
   * window the monitor closed is evaluated.
   */
  async waitUntilConsumed(timeoutMs = 120_000): Promise<void> {
    await this.waitUntilCommitted(timeoutMs);
    await this.waitUntilEvaluated(timeoutMs);
  }

  /** Waits until the monitor group's offsets in Postgres reach the end of both input topics. */
  async waitUntilCommitted(timeoutMs = 120_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<string, number>();
      for (const topic of [this.topics.predictions, this.topics.groundTruth]) {
        for (const p of await admin.fetchTopicOffsets(topic))
          ends.set(`${topic}:${p.partition}`, Number(p.high));
      }
      const group = `${this.prefix}driftline-monitor`;
      await waitFor(
        async () => {
          for (const [key, end] of ends) {
            if (end === 0) continue;
            const [topic, partition] = [
              key.slice(0, key.lastIndexOf(':')),
              Number(key.slice(key.lastIndexOf(':') + 1)),
            ];
            const stored = (await this.db.offsets.findAll(group, topic)).find(
              (o) => o.partition === partition,
            );
            if (stored === undefined || Number(stored.nextOffset) < end) return false;
          }
          return true;
        },
        { timeoutMs, intervalMs: 250, message: 'monitor consumed every record' },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Waits until every closed window the monitor queued is evaluated (its row written, or skipped). */
  async waitUntilEvaluated(timeoutMs = 120_000): Promise<void> {
    await waitFor(async () => (await this.pendingEvaluations()) === 0, {
      timeoutMs,
      intervalMs: 100,
      message: 'monitor evaluated every closed window',
    });
  }

  async pendingEvaluations(): Promise<number> {
    return this.db.pendingEvaluations.count();
  }

  /** A series of the monitor's /metrics, summed over its labels; null if it cannot say. */
  async metric(monitor: MonitorProcess, name: string): Promise<number | null> {
    const response = await fetch(`http://127.0.0.1:${monitor.port}/metrics`).catch(() => null);
    if (response === null || !response.ok) return null;
    const lines = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
    if (lines.length === 0) return null;
    return lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }

  /** Records the monitor gathered into commit intervals and has not committed (its /metrics); 0 if it cannot say. */
  async uncommittedRecords(monitor: MonitorProcess): Promise<number> {
    return (await this.metric(monitor, 'driftline_consumer_uncommitted_records')) ?? 0;
  }

  /** Next offsets stored for the monitor group, summed over both input topics' partitions. */
  async storedOffsets(): Promise<number> {
    const group = `${this.prefix}driftline-monitor`;
    let sum = 0;
    for (const topic of [this.topics.predictions, this.topics.groundTruth]) {
      for (const row of await this.db.offsets.findAll(group, topic)) sum += Number(row.nextOffset);
    }
    return sum;
  }

  async windowRows(): Promise<Record<string, unknown>[]> {
    return (await this.query(
      `SELECT model_id, window_start, window_end, event_count, result FROM window_results
       ORDER BY model_id, window_start, window_end`,
    )) as Record<string, unknown>[];
  }

  async metricRows(): Promise<Record<string, unknown>[]> {
    return (await this.query(
      `SELECT model_id, window_start, window_end, feature, metric, value, detail FROM metric_points
       ORDER BY model_id, window_start, window_end, feature, metric`,
    )) as Record<string, unknown>[];
  }

  /** Alerts as the monitor wrote them, without the wall-clock update time. */
  async alertRows(): Promise<Record<string, unknown>[]> {
    return (await this.query(
      `SELECT id, fingerprint, status, severity, model_id, monitor_id, metric, feature, value, threshold,
         window_start, window_end, starts_at, ends_at, summary, evidence FROM alerts ORDER BY id`,
    )) as Record<string, unknown>[];
  }

  /** The outbox's events in the order they were written, without wall-clock creation times. */
  async outboxRows(): Promise<Record<string, unknown>[]> {
    const rows = (await this.query(`SELECT topic, key, payload FROM outbox ORDER BY id`)) as {
      topic: string;
      key: string;
      payload: Record<string, unknown>;
    }[];
    return rows.map(({ topic, key, payload: { createdAt: _createdAt, ...payload } }) => ({
      topic,
      key,
      payload,
    }));
  }

  async query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    const client = new Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as unknown[];
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    for (const p of this.processes) await p.kill('SIGKILL');
    await this.producer?.disconnect().catch(() => undefined);
    await this.db.close();
    await this.database.drop();
  }
}
