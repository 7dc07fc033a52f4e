import { loadConfig } from '@driftline/config';
import type { EventPublisher } from '@driftline/kafka';
import { PredictionFactory, GroundTruthFactory } from '../../../../test/factories/event.factory';
import { strictMock } from '../../../../test/utils/strict-mock';
import { ApiError } from '@driftline/common';
import { IngestService } from './ingest.service';

function setup(overrides: Partial<EventPublisher> = {}, env: NodeJS.ProcessEnv = {}) {
  const publish = jest
    .fn<Promise<void>, Parameters<EventPublisher['publish']>>()
    .mockResolvedValue(undefined);
  const publisher = strictMock<EventPublisher>({ publish, ...overrides });
  const config = loadConfig({ KAFKA_TOPIC_PREFIX: 'unit.', INGEST_MAX_BATCH: '3', ...env });
  return { service: new IngestService(publisher, config), publish };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('IngestService', () => {
  it('publishes one event keyed by its modelId to the prefixed predictions topic', async () => {
    const { service, publish } = setup();
    const event = PredictionFactory.create({ modelId: 'fraud' });
    await expect(service.ingestPredictions(event)).resolves.toEqual({ accepted: 1 });
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenCalledWith('unit.driftline.predictions.v1', [{ key: 'fraud', value: event }]);
  });

  it('publishes an array in one send, in order', async () => {
    const { service, publish } = setup();
    const events = [GroundTruthFactory.create({ modelId: 'a' }), GroundTruthFactory.create({ modelId: 'b' })];
    await expect(service.ingestGroundTruth(events)).resolves.toEqual({ accepted: 2 });
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish.mock.calls[0][0]).toBe('unit.driftline.ground-truth.v1');
    expect(publish.mock.calls[0][1].map((m) => m.key)).toEqual(['a', 'b']);
  });

  it('publishes each event as the bytes it came in when the body is kept, else serialised again', async () => {
    const { service, publish } = setup();
    const events = [PredictionFactory.create({ modelId: 'a' }), PredictionFactory.create({ modelId: 'b' })];
    const texts = events.map((e) => JSON.stringify(e, null, 1));
    const raw = Buffer.from(`[ ${texts[0]} ,\n${texts[1]} ]`);
    await service.ingestPredictions(JSON.parse(raw.toString('utf8')), raw);
    expect(publish.mock.calls[0][1].map((m) => [m.key, m.json?.toString('utf8')])).toEqual([
      ['a', texts[0]],
      ['b', texts[1]],
    ]);
    await service.ingestPredictions(events, Buffer.from(JSON.stringify(events), 'utf16le'));
    expect(publish.mock.calls[1][1].map((m) => m.json)).toEqual([undefined, undefined]);
  });

  it('rejects the whole request with one entry per invalid item and publishes nothing', async () => {
    const { service, publish } = setup();
    const good = PredictionFactory.create();
    const error = await apiError(
      service.ingestPredictions([good, { ...good, timestamp: 'yesterday' }, { ...good, score: 3, extra: 1 }]),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_events');
    expect(error.details).toEqual([
      {
        index: 1,
        errors: ['/timestamp must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z'],
      },
      { index: 2, errors: ["(root) has unknown property 'extra'", '/score must be <= 1'] },
    ]);
    expect(publish).not.toHaveBeenCalled();
  });

  it('refuses more events than INGEST_MAX_BATCH with 413', async () => {
    const { service } = setup();
    const events = Array.from({ length: 4 }, () => PredictionFactory.create());
    const error = await apiError(service.ingestPredictions(events));
    expect([error.status, error.code, error.details]).toEqual([
      413,
      'batch_too_large',
      { maxBatch: 3, received: 4 },
    ]);
  });

  it('refuses an empty array and a missing JSON body', async () => {
    const { service } = setup();
    expect((await apiError(service.ingestPredictions([]))).code).toBe('empty_batch');
    expect((await apiError(service.ingestPredictions(undefined))).status).toBe(415);
  });

  it('answers 503 when Kafka refuses the send', async () => {
    const { service } = setup({ publish: jest.fn().mockRejectedValue(new Error('broker down')) });
    const error = await apiError(service.ingestPredictions(PredictionFactory.create()));
    expect([error.status, error.code]).toEqual([503, 'kafka_unavailable']);
    expect(error.message).toContain('broker down');
  });

  it('answers 503 when Kafka does not acknowledge in time', async () => {
    jest.useFakeTimers();
    try {
      const { service } = setup(
        { publish: jest.fn().mockReturnValue(new Promise(() => undefined)) },
        { INGEST_PUBLISH_TIMEOUT_MS: '500' },
      );
      const pending = apiError(service.ingestPredictions(PredictionFactory.create()));
      await jest.advanceTimersByTimeAsync(500);
      const error = await pending;
      expect([error.status, error.message]).toEqual([
        503,
        'events could not be published: no acknowledgement within 500 ms',
      ]);
    } finally {
      jest.useRealTimers();
    }
  });
});
