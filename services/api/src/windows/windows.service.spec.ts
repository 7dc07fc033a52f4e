import type {
  MetricPointRepository,
  ModelRecord,
  ModelRepository,
  WindowResultRepository,
} from '@driftline/db';
import { ApiError } from '@driftline/common';
import { listQuery } from '../list.query';
import { ModelsService } from '../models/models.service';
import { strictMock } from '../models/strict.mock';
import { WindowsService } from './windows.service';

const seen: ModelRecord = {
  id: 'bikes',
  description: null,
  settings: {},
  createdAt: new Date('2024-05-01T00:00:00Z'),
  updatedAt: new Date('2024-05-01T00:00:00Z'),
};
const start = new Date('2024-05-01T00:00:00Z');
const end = new Date('2024-05-01T01:00:00Z');

function service(windows: Partial<WindowResultRepository>, metrics: Partial<MetricPointRepository> = {}) {
  const models = strictMock<ModelRepository>('models', {
    find: jest.fn(async (id: string) => (id === 'bikes' ? seen : null)),
  });
  return new WindowsService(
    new ModelsService(models),
    strictMock<WindowResultRepository>('windows', windows),
    strictMock<MetricPointRepository>('metrics', metrics),
  );
}

describe('WindowsService', () => {
  const result = { windowStart: start.toISOString(), windowEnd: end.toISOString(), eventCount: 3 };

  it('answers the latest result as stored, also for a model only seen in events', async () => {
    const latest = jest
      .fn()
      .mockResolvedValue({ modelId: 'bikes', windowStart: start, windowEnd: end, eventCount: 3, result });
    await expect(service({ latest }).latest('bikes')).resolves.toBe(result);
  });

  it('answers 404 for an unknown model without reading windows, and for a model without any', async () => {
    await expect(service({}).latest('cars')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    const none = service({ latest: jest.fn().mockResolvedValue(null) }).latest('bikes');
    await expect(none).rejects.toBeInstanceOf(ApiError);
    await expect(none).rejects.toMatchObject({ status: 404, code: 'no_windows' });
  });

  it('passes the range and the page through and maps metric points to a series', async () => {
    const rangePage = jest.fn().mockResolvedValue([]);
    await expect(service({ rangePage }).range('bikes', { from: start }, listQuery({}))).resolves.toEqual({
      modelId: 'bikes',
      windows: [],
      nextCursor: null,
    });
    expect(rangePage).toHaveBeenCalledWith('bikes', { from: start, after: undefined, limit: 101 });

    const seriesPage = jest.fn().mockResolvedValue([
      {
        modelId: 'bikes',
        windowStart: start,
        windowEnd: end,
        feature: 'temp',
        metric: 'drift_statistic',
        value: 0.4,
      },
    ]);
    const series = await service({}, { seriesPage }).series(
      'bikes',
      { metric: 'drift_statistic', feature: 'temp', to: end },
      listQuery({ limit: '5' }),
    );
    expect(seriesPage).toHaveBeenCalledWith(
      { modelId: 'bikes', metric: 'drift_statistic', feature: 'temp' },
      { from: undefined, to: end, after: undefined, limit: 6 },
    );
    expect(series).toEqual({
      modelId: 'bikes',
      metric: 'drift_statistic',
      feature: 'temp',
      nextCursor: null,
      points: [
        { windowStart: '2024-05-01T00:00:00.000Z', windowEnd: '2024-05-01T01:00:00.000Z', value: 0.4 },
      ],
    });
  });
});
