import { openDatabase, type AlertRecord, type Database } from '@driftline/db';
import { testDatabaseUrl, uniqueName } from '@driftline/testing';
import type { ErrorBody } from '@driftline/common';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import type { AlertView } from './alert.view';
import type { AlertList } from './alerts.service';

const ack = (api: RunningApi, alertId: string, body?: unknown): Promise<Response> =>
  api.fetch(`/v1/alerts/${alertId}/ack`, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

describe('POST /v1/alerts/:id/ack on the real app and Postgres', () => {
  let api: RunningApi;
  let db: Database;
  const modelId = uniqueName('acked');
  const alert = (n: number): AlertRecord => ({
    alertId: `${modelId}-${n}`,
    fingerprint: `${modelId}/drift/${n}`,
    status: 'firing',
    severity: 'critical',
    modelId,
    monitorId: 'drift',
    metric: 'drift_share',
    feature: null,
    value: 0.8,
    threshold: 0.5,
    windowStart: new Date(Date.UTC(2026, 0, 1, n)),
    windowEnd: new Date(Date.UTC(2026, 0, 1, n + 1)),
    startsAt: new Date(Date.UTC(2026, 0, 1, n + 1)),
    endsAt: null,
    summary: `drift ${n}`,
    evidence: {},
  });

  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'alert-ack-int' });
    // as the monitor's rule evaluator writes them
    await db.alerts.save([alert(1), alert(2)]);
  });
  afterAll(async () => {
    await db.close();
    await api.close();
  });

  it('records who acknowledged and when, keeps the first ack, and shows it on the alert and in the list', async () => {
    const before = await readJson<AlertView>(await api.fetch(`/v1/alerts/${modelId}-1`));
    expect(before.acknowledged).toBeNull();

    const first = await ack(api, `${modelId}-1`, { by: 'ana', comment: 'looking at the upstream feed' });
    expect(first.status).toBe(200);
    const acked = await readJson<AlertView>(first);
    expect(acked).toMatchObject({
      alertId: `${modelId}-1`,
      status: 'firing',
      acknowledged: { by: 'ana', comment: 'looking at the upstream feed' },
    });
    expect(Date.parse(acked.acknowledged?.at ?? '')).not.toBeNaN();

    const second = await ack(api, `${modelId}-1`, { by: 'bo' });
    expect(second.status).toBe(200);
    expect((await readJson<AlertView>(second)).acknowledged).toEqual(acked.acknowledged);

    expect((await readJson<AlertView>(await api.fetch(`/v1/alerts/${modelId}-1`))).acknowledged).toEqual(
      acked.acknowledged,
    );
    const list = await readJson<AlertList>(await api.fetch(`/v1/alerts?modelId=${modelId}`));
    expect(list.alerts.map((a) => [a.alertId, a.acknowledged?.by ?? null])).toEqual([
      [`${modelId}-2`, null],
      [`${modelId}-1`, 'ana'],
    ]);
  });

  it('takes an ack without a body, and leaves the alert firing', async () => {
    const response = await ack(api, `${modelId}-2`);
    expect(response.status).toBe(200);
    expect(await readJson<AlertView>(response)).toMatchObject({
      status: 'firing',
      endsAt: null,
      acknowledged: { by: null, comment: null },
    });
  });

  it('answers 404 for an unknown alert and 400 for a bad or unknown field, in the error shape', async () => {
    const unknown = await ack(api, `${modelId}-nope`, { by: 'ana' });
    expect(unknown.status).toBe(404);
    expect((await readJson<ErrorBody>(unknown)).error).toMatchObject({
      code: 'alert_not_found',
      details: { alertId: `${modelId}-nope` },
    });
    const empty = await ack(api, `${modelId}-1`, { by: '' });
    expect(empty.status).toBe(400);
    expect((await readJson<ErrorBody>(empty)).error.code).toBe('invalid_ack');
    const extra = await ack(api, `${modelId}-1`, { by: 'ana', resolve: true });
    expect(extra.status).toBe(400);
    expect((await readJson<ErrorBody>(extra)).error).toMatchObject({
      code: 'unknown_field',
      details: { fields: ['/resolve'] },
    });
  });
});
