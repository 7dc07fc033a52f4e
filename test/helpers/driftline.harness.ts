import type { DynamicModule, INestApplication } from '@nestjs/common';
import { loadConfig, type DriftlineConfig, type ServiceName } from '@driftline/config';
import { TEST_ADMIN_KEY, TEST_AUTHORIZATION, testKafkaBrokers, uniqueName } from '@driftline/testing';
import request from 'supertest';
import { Client } from 'pg';
import { createLogger, createServiceApp, type ServiceContext } from '@driftline/common';

/**
 * The environment of a Driftline process in an integration test: its own topic and group namespace,
 * and its own database (the run's shared one is left to suites that expect it empty).
 */
export function serviceEnv(
  prefix: string,
  databaseUrl: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    KAFKA_BROKERS: testKafkaBrokers(),
    DATABASE_URL: databaseUrl,
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_PARTITIONS: '3',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    CONSUMER_RETRY_BACKOFF_MS: '50',
    LOG_LEVEL: process.env.DRIFTLINE_TEST_LOG_LEVEL ?? 'fatal',
    DRIFTLINE_ADMIN_KEY: TEST_ADMIN_KEY,
    // a monitor started in the test's process consumes in that thread: worker threads run the build
    MONITOR_WORKERS: '1',
    ...extra,
  };
}

/** Hooks that start or stop services (consumer group joins and leaves) need more than Jest's 5 s. */
export const SERVICE_HOOK_TIMEOUT_MS = 120_000;

/** A topic namespace no other suite uses: `<name>-<random>.` */
export function testPrefix(name: string): string {
  return `${uniqueName(name)}.`;
}

export interface RunningService {
  app: INestApplication;
  config: DriftlineConfig;
  close(): Promise<void>;
}

/** A service's real Nest app in this process (real Kafka, real Postgres), served through supertest. */
export async function startService(
  name: ServiceName,
  moduleFor: (context: ServiceContext) => DynamicModule,
  env: NodeJS.ProcessEnv,
): Promise<RunningService> {
  const config = loadConfig(env);
  const context = { config, logger: createLogger(name, config.log.level) };
  const app = await createServiceApp(name, context, moduleFor(context), {
    maxBodyBytes: config.ingest.maxBodyBytes,
  });
  await app.init();
  return { app, config, close: () => app.close() };
}

/** supertest on a service's app, every request with the test admin key. */
export function withAdminKey(service: RunningService): ReturnType<typeof request.agent> {
  return request.agent(service.app.getHttpServer()).set('authorization', TEST_AUTHORIZATION);
}

export interface StoredMetric {
  modelId: string;
  windowStart: string;
  feature: string;
  metric: string;
  value: number;
}

/** Reads metric_points with plain SQL, independently of the repositories under test. */
export async function readMetrics(databaseUrl: string, modelIds: string[]): Promise<StoredMetric[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      model_id: string;
      window_start: Date;
      feature: string;
      metric: string;
      value: number;
    }>(
      `SELECT model_id, window_start, feature, metric, value FROM metric_points
       WHERE model_id = ANY($1::text[]) ORDER BY model_id, window_start, metric, feature`,
      [modelIds],
    );
    return rows.map((r) => ({
      modelId: r.model_id,
      windowStart: r.window_start.toISOString(),
      feature: r.feature,
      metric: r.metric,
      value: r.value,
    }));
  } finally {
    await client.end();
  }
}

export async function sumMetric(databaseUrl: string, modelIds: string[], metric: string): Promise<number> {
  const rows = await readMetrics(databaseUrl, modelIds);
  return rows.filter((r) => r.metric === metric).reduce((sum, r) => sum + r.value, 0);
}
