import { createIsolatedDatabase, uniqueName, waitFor, type IsolatedDatabase } from '@driftline/testing';
import request from 'supertest';
import { AppModule } from '../services/api/src/app.module';
import { MonitorModule } from '../services/monitor/src/monitor.module';
import { GroundTruthFactory, PredictionFactory } from './factories/event.factory';
import {
  readMetrics,
  SERVICE_HOOK_TIMEOUT_MS,
  serviceEnv,
  startService,
  testPrefix,
  type RunningService,
  withAdminKey,
} from './helpers/driftline.harness';

describe('ingestion: HTTP → Kafka → monitor → Postgres', () => {
  let api: RunningService;
  let monitor: RunningService;
  let database: IsolatedDatabase;

  beforeAll(async () => {
    database = await createIsolatedDatabase();
    const env = serviceEnv(testPrefix('it-ingest'), database.url);
    api = await startService('api', (c) => AppModule.forRoot(c), env);
    monitor = await startService('monitor', (c) => MonitorModule.forRoot(c), env);
  }, SERVICE_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await monitor?.close();
    await api?.close();
    await database?.drop();
  }, SERVICE_HOOK_TIMEOUT_MS);

  it('stores per-minute counts of the posted predictions and labels', async () => {
    const modelId = uniqueName('model');
    const predictions = [
      PredictionFactory.create({
        modelId,
        timestamp: '2024-05-01T12:00:05Z',
        features: { age: 30, plan: null },
      }),
      PredictionFactory.create({
        modelId,
        timestamp: '2024-05-01T12:00:55Z',
        features: { age: null, plan: null },
      }),
      PredictionFactory.create({
        modelId,
        timestamp: '2024-05-01T12:01:00Z',
        features: { age: 31, plan: 'pro' },
      }),
    ];
    const posted = await withAdminKey(api).post('/v1/predictions').send(predictions);
    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({ accepted: 3 });
    const label = GroundTruthFactory.create({ modelId, timestamp: '2024-05-01T12:30:00Z' });
    expect((await withAdminKey(api).post('/v1/ground-truth').send(label)).status).toBe(202);

    const rows = await waitFor(
      async () => {
        const stored = await readMetrics(database.url, [modelId]);
        return stored.length === 7 ? stored : undefined;
      },
      { timeoutMs: 60_000, message: 'seven metric rows' },
    );
    const t0 = '2024-05-01T12:00:00.000Z';
    const t1 = '2024-05-01T12:01:00.000Z';
    expect(
      rows.map(({ windowStart, feature, metric, value }) => [windowStart, metric, feature, value]),
    ).toEqual([
      [t0, 'missing_count', 'age', 1],
      [t0, 'missing_count', 'plan', 2],
      [t0, 'prediction_count', '', 2],
      [t1, 'missing_count', 'age', 0],
      [t1, 'missing_count', 'plan', 0],
      [t1, 'prediction_count', '', 1],
      ['2024-05-01T12:30:00.000Z', 'label_count', '', 1],
    ]);
  }, 90_000);

  it('is ready once the producer, the consumer group and Postgres are', async () => {
    await waitFor(async () => (await request(monitor.app.getHttpServer()).get('/readyz')).status === 200, {
      timeoutMs: 30_000,
      message: 'monitor ready',
    });
    const ready = await withAdminKey(api).get('/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { kafka: true, database: true } });
  }, 60_000);
});
