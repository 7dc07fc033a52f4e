import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@driftline/config';
import { testDatabaseUrl, testKafkaBrokers } from '@driftline/testing';
import { createLogger, createServiceApp } from '@driftline/common';
import { AppModule } from '../app.module';
import { configureApi } from './api.configure';

export interface RunningApi {
  app: NestExpressApplication;
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  close(): Promise<void>;
}

/**
 * The real api app (real Postgres and Kafka of the integration run), listening on a free port;
 * `env` adds to or overrides its environment (e.g. KAFKA_TOPIC_PREFIX for topics of its own).
 */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  const config = loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    KAFKA_BROKERS: testKafkaBrokers(),
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const context = { config, logger: createLogger('api', config.log.level) };
  const app = await createServiceApp('api', context, AppModule.forRoot(context), {
    maxBodyBytes: config.ingest.maxBodyBytes,
    configure: configureApi,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** The JSON body of a response, typed as the endpoint documents it. */
export async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
