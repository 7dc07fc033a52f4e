import { createIsolatedDatabase, type IsolatedDatabase } from '@driftline/testing';
import request from 'supertest';
import { DispatcherModule } from '../services/dispatcher/src/dispatcher.module';
import { NotifierModule } from '../services/notifier/src/notifier.module';
import { SERVICE_HOOK_TIMEOUT_MS, serviceEnv, startService, testPrefix } from './helpers/driftline.harness';

describe('notifier and dispatcher: health and readiness against real Kafka and Postgres', () => {
  let database: IsolatedDatabase;

  beforeAll(async () => {
    database = await createIsolatedDatabase();
  }, SERVICE_HOOK_TIMEOUT_MS);

  afterAll(() => database?.drop(), SERVICE_HOOK_TIMEOUT_MS);

  it.each([
    ['notifier', NotifierModule],
    ['dispatcher', DispatcherModule],
  ] as const)(
    '%s answers /healthz and is ready with both dependencies up',
    async (name, module) => {
      const service = await startService(
        name,
        (c) => module.forRoot(c),
        serviceEnv(testPrefix(`it-${name}`), database.url),
      );
      try {
        const server = service.app.getHttpServer();
        expect((await request(server).get('/healthz')).body).toEqual({ status: 'ok' });
        const ready = await request(server).get('/readyz');
        expect(ready.status).toBe(200);
        expect(ready.body).toEqual({ status: 'ready', checks: { kafka: true, database: true } });
      } finally {
        await service.close();
      }
    },
    SERVICE_HOOK_TIMEOUT_MS,
  );
});
