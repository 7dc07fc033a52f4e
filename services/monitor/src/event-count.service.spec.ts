import type { UnitOfWork } from '@driftline/db';
import { GroundTruthFactory, PredictionFactory } from '../../../test/factories/event.factory';
import { strictMock } from '../../../test/utils/strict-mock';
import { EventCountService, labelCounts, predictionCounts } from './event-count.service';

const minute = (iso: string) => ({
  windowStart: new Date(iso),
  windowEnd: new Date(Date.parse(iso) + 60_000),
});

describe('predictionCounts', () => {
  it('gives one count row and one missing row per feature, in the minute of event time', () => {
    const event = PredictionFactory.create({
      modelId: 'm',
      timestamp: '2024-05-01T12:00:59.999+00:00',
      features: { age: 40, income: null },
    });
    expect(predictionCounts([event])).toEqual([
      { modelId: 'm', ...minute('2024-05-01T12:00:00Z'), feature: '', metric: 'prediction_count', value: 1 },
      { modelId: 'm', ...minute('2024-05-01T12:00:00Z'), feature: 'age', metric: 'missing_count', value: 0 },
      {
        modelId: 'm',
        ...minute('2024-05-01T12:00:00Z'),
        feature: 'income',
        metric: 'missing_count',
        value: 1,
      },
    ]);
  });

  it('sums a batch per model and minute, a feature missing from some events counted where seen', () => {
    const at = (modelId: string, timestamp: string, features: Record<string, number | null>) =>
      PredictionFactory.create({ modelId, timestamp, features });
    const points = predictionCounts([
      at('m', '2024-05-01T12:00:01Z', { age: null, income: 3 }),
      at('n', '2024-05-01T12:00:02Z', { age: 1 }),
      at('m', '2024-05-01T12:00:59Z', { age: null }),
      at('m', '2024-05-01T12:01:00Z', { age: 2 }),
      at('m', '2024-05-01T12:00:30Z', { age: 5, income: null }),
    ]);
    const row = (modelId: string, iso: string, feature: string, metric: string, value: number) => ({
      modelId,
      ...minute(iso),
      feature,
      metric,
      value,
    });
    expect(points).toEqual([
      row('m', '2024-05-01T12:00:00Z', '', 'prediction_count', 3),
      row('m', '2024-05-01T12:00:00Z', 'age', 'missing_count', 2),
      row('m', '2024-05-01T12:00:00Z', 'income', 'missing_count', 1),
      row('n', '2024-05-01T12:00:00Z', '', 'prediction_count', 1),
      row('n', '2024-05-01T12:00:00Z', 'age', 'missing_count', 0),
      row('m', '2024-05-01T12:01:00Z', '', 'prediction_count', 1),
      row('m', '2024-05-01T12:01:00Z', 'age', 'missing_count', 0),
    ]);
  });

  it('places an event with an offset in the UTC minute it denotes', () => {
    const event = PredictionFactory.create({ timestamp: '2024-05-01T14:01:00+02:00', features: {} });
    expect(predictionCounts([event])[0].windowStart.toISOString()).toBe('2024-05-01T12:01:00.000Z');
  });
});

describe('labelCounts', () => {
  it('counts the labels per model and minute', () => {
    const label = (timestamp: string) => GroundTruthFactory.create({ modelId: 'm', timestamp });
    expect(labelCounts([label('2024-05-02T00:00:00Z'), label('2024-05-02T00:00:40Z')])).toEqual([
      { modelId: 'm', ...minute('2024-05-02T00:00:00Z'), feature: '', metric: 'label_count', value: 2 },
    ]);
  });
});

describe('EventCountService', () => {
  it('registers the batch models and adds the counts through the transaction', async () => {
    const ensure = jest.fn().mockResolvedValue(undefined);
    const increment = jest.fn().mockResolvedValue(undefined);
    const tx = strictMock<UnitOfWork>({
      models: strictMock<UnitOfWork['models']>({ ensure }),
      metrics: strictMock<UnitOfWork['metrics']>({ increment }),
    });
    const events = [PredictionFactory.create({ modelId: 'a' }), PredictionFactory.create({ modelId: 'b' })];
    const batch = {
      topic: 't',
      partition: 0,
      records: events.map((value, i) => ({
        topic: 't',
        partition: 0,
        offset: String(i),
        key: value.modelId,
        timestamp: '0',
        value,
      })),
    };
    await new EventCountService().recordPredictions(batch, tx);
    expect(ensure).toHaveBeenCalledWith(['a', 'b']);
    expect(increment).toHaveBeenCalledWith(predictionCounts(events));
  });
});
