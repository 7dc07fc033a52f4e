import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@driftline/config';
import { TEST_ADMIN_KEY, testDatabaseUrl, testKafkaBrokers } from '@driftline/testing';

export { TEST_ADMIN_KEY };
import { createLogger, createServiceApp, type Logger } from '@driftline/common';
import { AppModule } from '../app.module';
import { configureApi } from './api.configure';

export interface RunningApi {
  app: NestExpressApplication;
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** `fetch(url + path)` with the admin key, unless `init` has an Authorization header of its own. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** `fetch` against `url` with `key` as the bearer key, unless the request sets Authorization itself. */
export function fetchWithKey(url: string, key: string) {
  return (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
    return fetch(`${url}${path}`, { ...init, headers });
  };
}

export interface ApiOptions {
  /** On top of the test environment (DRIFTLINE_ADMIN_KEY is TEST_ADMIN_KEY). */
  env?: NodeJS.ProcessEnv;
  /** Instead of a silent one. */
  logger?: Logger;
}

/** The real api app (real Postgres and Kafka of the integration run), listening on a free port. */
export async function startApi(options: ApiOptions = {}): Promise<RunningApi> {
  const config = loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    KAFKA_BROKERS: testKafkaBrokers(),
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: 'silent',
    DRIFTLINE_ADMIN_KEY: TEST_ADMIN_KEY,
    ...options.env,
  });
  const context = { config, logger: options.logger ?? createLogger('api', config.log.level) };
  const app = await createServiceApp('api', context, AppModule.forRoot(context), {
    maxBodyBytes: config.ingest.maxBodyBytes,
    configure: configureApi,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return { app, url, fetch: fetchWithKey(url, TEST_ADMIN_KEY), close: () => app.close() };
}

/** The JSON body of a response, typed as the endpoint documents it. */
export async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
