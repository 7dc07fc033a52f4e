import { readFileSync } from 'node:fs';
import { openDatabase, type AlertRecord, type Database } from '@driftline/db';
import { bikeSharingCsv, testDatabaseUrl, uniqueName } from '@driftline/testing';
import type { ErrorBody } from '@driftline/common';
import type { AlertView } from '../alerts/alert.view';
import type { AlertList } from '../alerts/alerts.service';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import type { MonitorList } from './monitors.controller';
import type { MonitorView } from './monitors.service';

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** January 2011 of the bike data as CSV lines, and its temp column, read without the API. */
function january(): { lines: string[]; temp: number[] } {
  const [header, ...rows] = readFileSync(bikeSharingCsv(), 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  const selected = rows.filter((l) => l.split(',')[names.indexOf('dteday')].startsWith('2011-01-'));
  return {
    lines: [header, ...selected],
    temp: selected.map((l) => Number(l.split(',')[names.indexOf('temp')])),
  };
}

/** Two-sample Kolmogorov–Smirnov statistic, computed here independently of libs/stats. */
function ks(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

describe('monitors and alerts on the real app and Postgres', () => {
  let api: RunningApi;
  let db: Database;
  let modelId: string;
  const data = january();

  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'monitors-int' });
    modelId = uniqueName('bikes');
    const model = await api.fetch(
      `/v1/models`,
      json('POST', {
        modelId,
        features: { temp: 'numeric', hum: 'numeric', season: 'categorical' },
        methods: { temp: 'ks' },
        window: { size: '1h', step: '5m', allowedLateness: '0s' },
      }),
    );
    expect(model.status).toBe(201);
    const reference = await api.fetch(`/v1/models/${modelId}/reference`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: data.lines.join('\n'),
    });
    expect(reference.status).toBe(201);
  });
  afterAll(async () => {
    await db?.close();
    await api?.close();
  });

  const post = (body: Record<string, unknown>) =>
    api.fetch(`/v1/monitors`, json('POST', { modelId, op: '>', ...body }));

  it('creates, reads, lists a page at a time, replaces and deletes monitors', async () => {
    const ids = ['a', 'b', 'c'].map((s) => `${modelId}-${s}`);
    for (const monitorId of ids) {
      const created = await post({
        monitorId,
        metric: 'drift_share',
        threshold: 0.5,
        for: 2,
        labels: { team: 'ml' },
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        monitorId,
        effectiveThreshold: 0.5,
        for: 2,
        resolveAfter: 1,
        severity: 'warning',
        retrain: false,
      });
    }
    const first = await readJson<MonitorList>(await api.fetch(`/v1/monitors?modelId=${modelId}&limit=2`));
    expect(first.monitors.map((m) => m.monitorId)).toEqual(ids.slice(0, 2));
    const rest = await readJson<MonitorList>(
      await api.fetch(`/v1/monitors?modelId=${modelId}&limit=2&cursor=${first.nextCursor ?? ''}`),
    );
    expect(rest.monitors.map((m) => m.monitorId)).toEqual([ids[2]]);
    expect(rest.nextCursor).toBeNull();

    const replaced = await api.fetch(
      `/v1/monitors/${ids[0]}`,
      json('PUT', {
        modelId,
        metric: 'accuracy',
        op: '<',
        threshold: 0.7,
        minSamples: 50,
        severity: 'critical',
      }),
    );
    expect(replaced.status).toBe(200);
    expect(await readJson<MonitorView>(await api.fetch(`/v1/monitors/${ids[0]}`))).toMatchObject({
      metric: 'accuracy',
      minSamples: 50,
      severity: 'critical',
    });
    expect((await api.fetch(`/v1/monitors/${ids[1]}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await api.fetch(`/v1/monitors/${ids[1]}`);
    expect(gone.status).toBe(404);
    expect((await readJson<ErrorBody>(gone)).error.code).toBe('monitor_not_found');
  });

  it('derives an "auto" threshold as mean + 3 sd of the statistic over ten chunks of the reference', async () => {
    const created = await post({
      monitorId: `${modelId}-auto`,
      metric: 'drift_statistic',
      feature: 'temp',
      threshold: 'auto',
    });
    expect(created.status).toBe(201);
    const view = await readJson<MonitorView>(created);
    expect(view.threshold).toBe('auto');
    const size = Math.floor(data.temp.length / 10);
    const statistics = Array.from({ length: 10 }, (_, i) =>
      ks(data.temp.slice(i * size, (i + 1) * size), data.temp),
    );
    const mean = statistics.reduce((s, x) => s + x, 0) / 10;
    const sd = Math.sqrt(statistics.reduce((s, x) => s + (x - mean) ** 2, 0) / 9);
    expect(view.effectiveThreshold).toBeCloseTo(mean + 3 * sd, 9);
  });

  it.each([
    ['an unknown metric', { metric: 'vibes', threshold: 1 }, 400, 'invalid_monitor'],
    [
      'a feature the model lacks',
      { metric: 'drifted', feature: 'windspeed', threshold: 1 },
      400,
      'invalid_monitor',
    ],
    ['an unknown field', { metric: 'drift_share', threshold: 1, channel: '#x' }, 400, 'unknown_field'],
    [
      '"auto" for a metric whose reference figures are not kept',
      { metric: 'accuracy', threshold: 'auto' },
      400,
      'auto_threshold_unavailable',
    ],
    [
      'an unknown model',
      { metric: 'drift_share', threshold: 1, modelId: 'nobody-here' },
      404,
      'model_not_found',
    ],
  ])('refuses %s', async (_, body, status, code) => {
    const response = await post({ monitorId: uniqueName('bad'), ...body });
    expect(response.status).toBe(status);
    expect((await readJson<ErrorBody>(response)).error.code).toBe(code);
  });

  it('answers 409 for a monitor id taken', async () => {
    const monitorId = `${modelId}-twice`;
    expect((await post({ monitorId, metric: 'drift_share', threshold: 0.5 })).status).toBe(201);
    const again = await post({ monitorId, metric: 'drift_share', threshold: 0.5 });
    expect(again.status).toBe(409);
    expect((await readJson<ErrorBody>(again)).error.code).toBe('monitor_exists');
  });

  it('lists alerts newest first with their evidence, filtered by status and model, a page at a time', async () => {
    const alert = (n: number, status: 'firing' | 'resolved'): AlertRecord => ({
      alertId: `${modelId}-alert-${n}`,
      fingerprint: `fp-${n}`,
      status,
      severity: 'warning',
      modelId,
      monitorId: `${modelId}-a`,
      metric: 'drift_share',
      feature: null,
      value: 0.6 + n / 100,
      threshold: 0.5,
      windowStart: new Date(Date.UTC(2026, 0, 1, n)),
      windowEnd: new Date(Date.UTC(2026, 0, 1, n + 1)),
      startsAt: new Date(Date.UTC(2026, 0, 1, n + 1)),
      endsAt: status === 'resolved' ? new Date(Date.UTC(2026, 0, 1, n + 3)) : null,
      summary: `alert ${n}`,
      evidence: {
        topFeatures: [{ feature: 'temp', method: 'ks', statistic: 0.4, pValue: 0.001, threshold: 0.05 }],
      },
    });
    await db.alerts.save([alert(1, 'resolved'), alert(2, 'firing'), alert(3, 'firing'), alert(4, 'firing')]);
    const firing = await readJson<AlertList>(
      await api.fetch(`/v1/alerts?status=firing&modelId=${modelId}&limit=2`),
    );
    expect(firing.alerts.map((a) => a.alertId)).toEqual([`${modelId}-alert-4`, `${modelId}-alert-3`]);
    const next = await readJson<AlertList>(
      await api.fetch(
        `/v1/alerts?status=firing&modelId=${modelId}&limit=2&cursor=${firing.nextCursor ?? ''}`,
      ),
    );
    expect(next.alerts.map((a) => a.alertId)).toEqual([`${modelId}-alert-2`]);
    const one = await readJson<AlertView>(await api.fetch(`/v1/alerts/${modelId}-alert-1`));
    expect(one).toMatchObject({ status: 'resolved', endsAt: '2026-01-01T04:00:00.000Z', value: 0.61 });
    expect(one.evidence.topFeatures).toEqual([
      { feature: 'temp', method: 'ks', statistic: 0.4, pValue: 0.001, threshold: 0.05 },
    ]);
    expect((await api.fetch(`/v1/alerts/nothing-here`)).status).toBe(404);
    // the link in Slack, email and webhooks opens the dashboard's alert page: test/e2e/dashboard.int-spec.ts
    const bad = await api.fetch(`/v1/alerts?status=sleeping`);
    expect(bad.status).toBe(400);
    expect((await readJson<ErrorBody>(bad)).error.code).toBe('invalid_query');
  });
});
