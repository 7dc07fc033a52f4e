import { PredictionFactory } from '../../../test/factories/event.factory';
import { batch } from '../../../test/monitor/monitor.mocks';
import { COUNT_METRICS, minuteCounts, predictionCounts } from './event-count.service';
import { readPredictions } from './prediction.arrivals';

const at = (modelId: string, timestamp: string, features: Record<string, number | null>) =>
  PredictionFactory.create({ modelId, timestamp, features });

describe('readPredictions', () => {
  const events = [
    at('m', '2024-05-01T12:00:01Z', { age: null, income: 3 }),
    at('n', '2024-05-01T12:00:02Z', { age: 1 }),
    at('m', '2024-05-01T12:00:59Z', { age: null }),
    at('m', '2024-05-01T12:01:00+00:00', { age: 2 }),
    at('n', '2024-05-01T14:00:30+02:00', { age: 5, income: null }),
    at('m', '2024-05-01T12:00:30Z', { age: 5, income: null }),
  ];
  const records = batch(events).records;

  it('counts in its one pass what the separate count pass counted', () => {
    const fresh = records.slice(0, 5);
    const duplicates = [records[5], records[0]];
    const read = readPredictions(fresh, duplicates);
    expect(read.counts).toEqual([
      ...predictionCounts(fresh.map((r) => r.value)),
      ...minuteCounts(
        duplicates.map((r) => r.value),
        COUNT_METRICS.duplicatePredictions,
      ),
    ]);
    expect(read.counted).toEqual(['m', 'n']);
  });

  it('groups by model in offset order, each time parsed once, duplicates marked', () => {
    const read = readPredictions(records.slice(1), [records[0]]);
    const m = read.byModel.get('m') ?? [];
    expect(m.map((a) => [a.offset, a.duplicate])).toEqual([
      [records[0].offset, true],
      [records[2].offset, false],
      [records[3].offset, false],
      [records[5].offset, false],
    ]);
    expect(m.map((a) => a.time)).toEqual([0, 2, 3, 5].map((i) => Date.parse(events[i].timestamp)));
    expect(read.byModel.get('n')?.map((a) => a.event)).toEqual([events[1], events[4]]);
  });
});
