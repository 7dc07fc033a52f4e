import { openDatabase, type AlertRecord, type Database, type WindowResult } from '@driftline/db';
import { TEST_ADMIN_KEY, testDatabaseUrl, uniqueName } from '@driftline/testing';
import { startApi, type RunningApi } from '../../services/api/src/models/api-app.fixture';
import { closedPort, runCli } from './cli.fixture';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1);

/** A window the monitor would write: `drifted` of the two columns drifted. */
function windowOf(modelId: string, n: number, drifted: boolean): WindowResult {
  const windowStart = new Date(START + n * HOUR).toISOString();
  const windowEnd = new Date(START + (n + 1) * HOUR).toISOString();
  const column = (name: string, isDrifted: boolean) => ({
    column: name,
    type: 'numeric',
    method: 'ks',
    statistic: isDrifted ? 0.4 : 0.05,
    pValue: isDrifted ? 0.001 : 0.6,
    threshold: 0.05,
    drifted: isDrifted,
    missingShare: 0,
  });
  return {
    modelId,
    windowStart: new Date(windowStart),
    windowEnd: new Date(windowEnd),
    eventCount: 100 + n,
    result: {
      windowStart,
      windowEnd,
      eventCount: 100 + n,
      lateEvents: n,
      duplicateEvents: 0,
      drift: {
        columns: [column('temp', drifted), column('hum', false)],
        driftShare: drifted ? 0.5 : 0,
        datasetDrift: drifted,
      },
      performance: { labelledShare: 0.25, metrics: {} },
    },
  };
}

function alertOf(modelId: string, n: number): AlertRecord {
  return {
    alertId: `${modelId}-${String(n).padStart(4, '0')}`,
    fingerprint: `${modelId}/${n}`,
    status: n % 2 === 0 ? 'firing' : 'resolved',
    severity: 'warning',
    modelId,
    monitorId: 'temp-drift',
    metric: 'drift_statistic',
    feature: 'temp',
    value: 0.42,
    threshold: 0.1,
    windowStart: new Date(START + n * HOUR),
    windowEnd: new Date(START + (n + 1) * HOUR),
    startsAt: new Date(START + (n + 1) * HOUR),
    endsAt: n % 2 === 0 ? null : new Date(START + (n + 2) * HOUR),
    summary: `temp drifted (${n})`,
    evidence: {},
  };
}

describe('driftline models, alerts and windows: what the real API holds', () => {
  let api: RunningApi;
  let db: Database;
  const modelId = uniqueName('views');
  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'cli-views' });
    const response = await api.fetch('/v1/models', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        modelId,
        task: 'binary',
        features: { temp: 'numeric', hum: 'numeric' },
        window: { size: '1h', step: '1h', allowedLateness: '0s' },
      }),
    });
    expect(response.status).toBe(201);
    // what the monitor writes: 30 windows, every third drifted, and more alerts than one page holds
    await db.windows.upsert(Array.from({ length: 30 }, (_, n) => windowOf(modelId, n, n % 3 === 0)));
    await db.alerts.save(Array.from({ length: 1005 }, (_, n) => alertOf(modelId, n)));
  });
  afterAll(async () => {
    await db?.close();
    await api?.close();
  });

  it('models: a row per registered model, or the API’s JSON', async () => {
    const run = await runCli(['models', '--api', api.url, '--key', TEST_ADMIN_KEY]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['MODEL', 'TASK', 'FEATURES', 'WINDOW', 'STEP', 'UPDATED']);
    const row = rows.find((r) => r.startsWith(`${modelId} `));
    expect(row?.split(/\s{2,}/)).toEqual([
      modelId,
      'binary',
      '2',
      '1h',
      '1h',
      expect.stringMatching(/^\d{4}-/),
    ]);
    const json = await runCli(['models', '--json', '--api', api.url, '--key', TEST_ADMIN_KEY]);
    const models = JSON.parse(json.stdout) as { modelId: string; features: object }[];
    expect(models.find((m) => m.modelId === modelId)?.features).toEqual({ temp: 'numeric', hum: 'numeric' });
  });

  it('alerts: newest first, filtered by model and state, every page followed', async () => {
    const all = await runCli([
      'alerts',
      '--model',
      modelId,
      '--limit',
      '2000',
      '--json',
      '--api',
      api.url,
      '--key',
      TEST_ADMIN_KEY,
    ]);
    expect(all.code).toBe(0);
    const ids = (JSON.parse(all.stdout) as { alertId: string }[]).map((a) => a.alertId);
    expect(ids).toHaveLength(1005);
    expect(ids.slice(0, 2)).toEqual([`${modelId}-1004`, `${modelId}-1003`]);
    expect(ids.at(-1)).toBe(`${modelId}-0000`);

    const firing = await runCli([
      'alerts',
      '--model',
      modelId,
      '--state',
      'firing',
      '--limit',
      '3',
      '--api',
      api.url,
      '--key',
      TEST_ADMIN_KEY,
    ]);
    expect(firing).toMatchObject({ code: 0, stderr: '' });
    const lines = firing.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'ALERT',
      'STATE',
      'SEVERITY',
      'MODEL',
      'METRIC',
      'FEATURE',
      'VALUE',
      'THRESHOLD',
      'STARTED',
      'ENDED',
    ]);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual(
      [1004, 1002, 1000].map((n) => [
        `${modelId}-${n}`,
        'firing',
        'warning',
        modelId,
        'drift_statistic',
        'temp',
        '0.42',
        '0.1',
        new Date(START + (n + 1) * HOUR).toISOString(),
        '-',
      ]),
    );
    const none = await runCli([
      'alerts',
      '--model',
      uniqueName('quiet'),
      '--api',
      api.url,
      '--key',
      TEST_ADMIN_KEY,
    ]);
    expect(none).toEqual({ code: 0, stdout: 'no alerts\n', stderr: '' });
  });

  it('windows: the latest, oldest first, with drift share, drifted columns and labelled share', async () => {
    const run = await runCli(['windows', modelId, '--limit', '4', '--api', api.url, '--key', TEST_ADMIN_KEY]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'START',
      'END',
      'EVENTS',
      'LATE',
      'DRIFT SHARE',
      'DATASET DRIFT',
      'DRIFTED',
      'LABELLED',
    ]);
    expect(rows.map((r) => r.split(/\s{2,}/))).toEqual(
      [26, 27, 28, 29].map((n) => [
        new Date(START + n * HOUR).toISOString(),
        new Date(START + (n + 1) * HOUR).toISOString(),
        String(100 + n),
        String(n),
        n % 3 === 0 ? '0.5' : '0',
        n % 3 === 0 ? 'yes' : 'no',
        n % 3 === 0 ? 'temp' : '-',
        '0.25',
      ]),
    );
    const json = await runCli(['windows', modelId, '--json', '--api', api.url, '--key', TEST_ADMIN_KEY]);
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(20);
  });

  it('exits 3 with the API’s line when it refuses the key: none or a bad one (401), one without the read scope (403)', async () => {
    const none = await runCli(['models', '--api', api.url]);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/^driftline: HTTP 401 unauthenticated: .*\n$/);
    const created = await api.fetch('/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: uniqueName('ingest-only'), scopes: ['ingest'] }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const forbidden = await runCli(['alerts', '--api', api.url, '--key', secret]);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toMatch(/^driftline: HTTP 403 forbidden: .*\n$/);
  });

  it('exits 2 for an unknown model and 3 when the API cannot be reached, one line each', async () => {
    const unknown = await runCli(['windows', 'nobody-here', '--api', api.url, '--key', TEST_ADMIN_KEY]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^driftline: HTTP 404 model_not_found: .*\n$/);
    const nobody = `http://127.0.0.1:${await closedPort()}`;
    const down = await runCli(['models', '--api', nobody]);
    expect(down).toEqual({
      code: 3,
      stdout: '',
      stderr: `driftline: cannot reach the API at ${nobody}: ECONNREFUSED\n`,
    });
  });
});
