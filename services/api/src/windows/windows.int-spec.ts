import { openDatabase, type Database, type WindowResult } from '@driftline/db';
import { testDatabaseUrl, uniqueName } from '@driftline/testing';
import type { ErrorBody } from '@driftline/common';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import type { MetricSeries, WindowList } from './windows.service';

function windowResult(modelId: string, start: string, end: string, eventCount: number): WindowResult {
  return {
    modelId,
    windowStart: new Date(start),
    windowEnd: new Date(end),
    eventCount,
    result: {
      windowStart: start,
      windowEnd: end,
      eventCount,
      lateEvents: 0,
      drift: {
        columns: [
          {
            column: 'temp',
            type: 'numeric',
            method: 'ks',
            statistic: 0.25,
            pValue: 0.01,
            threshold: 0.05,
            drifted: true,
            missingShare: 0,
          },
        ],
        driftShare: 1,
        datasetDrift: true,
      },
    },
  };
}

describe('windows and metrics read side on the real app and Postgres', () => {
  let api: RunningApi;
  let db: Database;
  let modelId: string;
  const windows = [
    ['2024-05-01T00:00:00.000Z', '2024-05-01T01:00:00.000Z', 10],
    ['2024-05-01T00:05:00.000Z', '2024-05-01T01:05:00.000Z', 12],
    ['2024-05-01T00:10:00.000Z', '2024-05-01T01:10:00.000Z', 7],
  ] as const;

  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'windows-int' });
    modelId = uniqueName('model');
    await db.models.ensure([modelId]);
    await db.windows.upsert(windows.map(([start, end, count]) => windowResult(modelId, start, end, count)));
    await db.metrics.upsert(
      windows.flatMap(([start, end, count], i) => [
        {
          modelId,
          windowStart: new Date(start),
          windowEnd: new Date(end),
          feature: '',
          metric: 'event_count',
          value: count,
        },
        {
          modelId,
          windowStart: new Date(start),
          windowEnd: new Date(end),
          feature: 'temp',
          metric: 'drift_statistic',
          value: 0.1 * (i + 1),
        },
        {
          modelId,
          windowStart: new Date(start),
          windowEnd: new Date(end),
          feature: 'hum',
          metric: 'drift_statistic',
          value: 0.5,
        },
      ]),
    );
  });
  afterAll(async () => {
    await db.close();
    await api.close();
  });

  const get = (path: string) => api.fetch(`/v1/models/${path}`);

  it('returns the latest window result exactly as stored', async () => {
    const response = await get(`${modelId}/windows/latest`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(windowResult(modelId, ...windows[2]).result);
  });

  it('returns the windows inside from and to, oldest first', async () => {
    const all = await readJson<WindowList>(await get(`${modelId}/windows`));
    expect(all.windows.map((w) => w.eventCount)).toEqual([10, 12, 7]);
    const response = await get(`${modelId}/windows?from=2024-05-01T00:05:00Z&to=2024-05-01T03:05:00%2B02:00`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      modelId,
      windows: [windowResult(modelId, ...windows[1]).result],
      nextCursor: null,
    });
  });

  it('returns a metric time series of a feature, and of the model when no feature is named', async () => {
    const temp = await (
      await get(`${modelId}/metrics?metric=drift_statistic&feature=temp&from=2024-05-01T00:05:00Z`)
    ).json();
    expect(temp).toEqual({
      modelId,
      metric: 'drift_statistic',
      feature: 'temp',
      nextCursor: null,
      points: [
        { windowStart: windows[1][0], windowEnd: windows[1][1], value: 0.2 },
        { windowStart: windows[2][0], windowEnd: windows[2][1], value: 0.1 * 3 },
      ],
    });
    const counts = await readJson<MetricSeries>(await get(`${modelId}/metrics?metric=event_count`));
    expect(counts.feature).toBe('');
    expect(counts.points.map((p) => p.value)).toEqual([10, 12, 7]);
  });

  it('answers a catalogue name and its older alias alike, with rows stored under either', async () => {
    // the first window's row was written before the catalogue, under the camelCase name
    await db.metrics.upsert(
      windows.map(([start, end], i) => ({
        modelId,
        windowStart: new Date(start),
        windowEnd: new Date(end),
        feature: '',
        metric: i === 0 ? 'rocAuc' : 'roc_auc',
        value: 0.7 + i / 10,
      })),
    );
    for (const name of ['roc_auc', 'rocAuc']) {
      const series = await readJson<MetricSeries>(await get(`${modelId}/metrics?metric=${name}`));
      expect(series.metric).toBe('roc_auc');
      expect(series.points.map((p) => [p.windowStart, p.value])).toEqual(
        windows.map(([start], i) => [start, 0.7 + i / 10]),
      );
    }
    // a page at a time, the alias row and the catalogue name's rows merge the same way
    const first = await readJson<MetricSeries>(await get(`${modelId}/metrics?metric=roc_auc&limit=2`));
    const rest = await readJson<MetricSeries>(
      await get(`${modelId}/metrics?metric=roc_auc&limit=2&cursor=${first.nextCursor ?? ''}`),
    );
    expect([...first.points, ...rest.points].map((p) => p.windowStart)).toEqual(windows.map(([s]) => s));
    expect([first.points.length, rest.nextCursor]).toEqual([2, null]);
  });

  it('answers 404 for an unknown model and for a model without windows', async () => {
    const unknown = uniqueName('nobody');
    for (const path of [
      `${unknown}/windows/latest`,
      `${unknown}/windows`,
      `${unknown}/metrics?metric=event_count`,
    ]) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({
        error: { code: 'model_not_found', details: { modelId: unknown } },
      });
    }
    const quiet = uniqueName('quiet');
    await db.models.ensure([quiet]);
    const response = await get(`${quiet}/windows/latest`);
    expect(response.status).toBe(404);
    expect((await readJson<ErrorBody>(response)).error.code).toBe('no_windows');
  });

  it('answers 400 for bad dates, a reversed range and a missing metric', async () => {
    const cases: [string, string][] = [
      [`${modelId}/windows?from=yesterday`, 'invalid_time'],
      [`${modelId}/windows?to=2024-05-01T00:00:00`, 'invalid_time'],
      [`${modelId}/metrics?metric=event_count&from=2024-13-01T00:00:00Z`, 'invalid_time'],
      [`${modelId}/windows?from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z`, 'invalid_time_range'],
      [`${modelId}/metrics`, 'metric_required'],
    ];
    for (const [path, code] of cases) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect((await readJson<ErrorBody>(response)).error.code).toBe(code);
    }
  });
});
