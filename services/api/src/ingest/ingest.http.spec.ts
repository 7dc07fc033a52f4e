import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { DRIFTLINE_CONFIG, loadConfig } from '@driftline/config';
import type { EventPublisher } from '@driftline/kafka';
import request from 'supertest';
import { PredictionFactory } from '../../../../test/factories/event.factory';
import { strictMock } from '../../../../test/utils/strict-mock';
import {
  HealthController,
  READINESS_CHECKS,
  type ReadinessCheck,
  createLogger,
  createServiceApp,
  metricsProviders,
} from '@driftline/common';
import { EVENT_PUBLISHER } from '../tokens';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';

@Module({})
class TestModule {}

describe('api over HTTP (adapters replaced)', () => {
  let app: INestApplication;
  const publish = jest.fn<Promise<void>, Parameters<EventPublisher['publish']>>();
  let kafkaReady = true;

  beforeAll(async () => {
    const config = loadConfig({ INGEST_MAX_BODY: '2kb' });
    const logger = createLogger('api', 'silent');
    const checks: ReadinessCheck[] = [
      { name: 'kafka', check: async () => kafkaReady },
      { name: 'database', check: async () => true },
    ];
    const root: DynamicModule = {
      module: TestModule,
      controllers: [HealthController, IngestController],
      providers: [
        IngestService,
        { provide: DRIFTLINE_CONFIG, useValue: config },
        { provide: EVENT_PUBLISHER, useValue: strictMock<EventPublisher>({ publish }) },
        { provide: READINESS_CHECKS, useValue: checks },
        ...metricsProviders('api'),
      ],
    };
    app = await createServiceApp('api', { config, logger }, root, {
      maxBodyBytes: config.ingest.maxBodyBytes,
    });
    await app.init();
  });

  afterAll(() => app.close());
  beforeEach(() => publish.mockReset().mockResolvedValue(undefined));

  it('accepts an event with 202, echoing the caller request id', async () => {
    const response = await request(app.getHttpServer())
      .post('/v1/predictions')
      .set('x-request-id', 'req-123')
      .send(PredictionFactory.create());
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: 1 });
    expect(response.headers['x-request-id']).toBe('req-123');
  });

  it('gives invalid events 400 in the error shape, with a generated request id', async () => {
    const response = await request(app.getHttpServer())
      .post('/v1/predictions')
      .send([{ modelId: 'm' }]);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_events');
    expect(response.body.error.details[0].index).toBe(0);
    expect(response.body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-request-id']).toBe(response.body.error.requestId);
  });

  it('gives malformed JSON 400 malformed_json', async () => {
    const response = await request(app.getHttpServer())
      .post('/v1/predictions')
      .set('content-type', 'application/json')
      .send('{"eventId": ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('malformed_json');
    expect(response.headers['x-request-id']).toBe(response.body.error.requestId);
  });

  it('gives a body over INGEST_MAX_BODY 413 in the same shape', async () => {
    const response = await request(app.getHttpServer())
      .post('/v1/predictions')
      .set('x-request-id', 'big-1')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(3000) }));
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      error: {
        code: 'payload_too_large',
        message: 'request body exceeds the configured limit',
        details: null,
        requestId: 'big-1',
      },
    });
    expect(publish).not.toHaveBeenCalled();
  });

  it('gives unknown routes 404 in the same shape', async () => {
    const response = await request(app.getHttpServer()).get('/v1/nothing');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it('reports readiness per dependency', async () => {
    kafkaReady = true;
    expect((await request(app.getHttpServer()).get('/readyz')).body).toEqual({
      status: 'ready',
      checks: { kafka: true, database: true },
    });
    kafkaReady = false;
    const down = await request(app.getHttpServer()).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.error.details).toEqual({ checks: { kafka: false, database: true } });
    expect((await request(app.getHttpServer()).get('/healthz')).status).toBe(200);
  });
});
