import { readFileSync } from 'node:fs';
import { openDatabase, type Database } from '@driftline/db';
import { binEdges, ReferenceProfile, type ReferenceProfileJSON } from '@driftline/stats';
import { bikeSharingCsv, testDatabaseUrl, uniqueName } from '@driftline/testing';
import type { ErrorBody } from '@driftline/common';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import type { ReferenceSummary } from './reference.mapper';

const BIKES = bikeSharingCsv();
const FEATURES = {
  temp: 'numeric',
  hum: 'numeric',
  windspeed: 'numeric',
  cnt: 'numeric',
  weathersit: 'categorical',
};
const JULY = { windowStart: '2011-07-01T00:00:00.000Z', windowEnd: '2011-08-01T00:00:00.000Z' };

/** The bike data of one month (yyyy-mm), as CSV lines with the header first, and its columns. */
function month(prefix: string): { lines: string[]; column: (name: string) => string[] } {
  const [header, ...rows] = readFileSync(BIKES, 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  const kept = rows.filter((line) => line.split(',')[names.indexOf('dteday')].startsWith(prefix));
  return {
    lines: [header, ...kept],
    column: (name) => kept.map((line) => line.split(',')[names.indexOf(name)]),
  };
}

describe('POST /v1/models/:id/reference/pin on the real app and Postgres', () => {
  let api: RunningApi;
  let db: Database;
  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'reference-pin-int' });
  });
  afterAll(async () => {
    await db.close();
    await api.close();
  });

  function pin(modelId: string, body: unknown): Promise<Response> {
    return api.fetch(`/v1/models/${modelId}/reference/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** A model with January 2011 as its reference, and the monitor's merged summary of a July window on it. */
  async function modelWithJulyWindow(): Promise<{ modelId: string; july: ReturnType<typeof month> }> {
    const modelId = uniqueName('model');
    const registered = await api.fetch(`/v1/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        modelId,
        window: { size: '1h', step: '5m', allowedLateness: '0s' },
        features: FEATURES,
      }),
    });
    expect(registered.status).toBe(201);
    const uploaded = await api.fetch(`/v1/models/${modelId}/reference`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: month('2011-01-').lines.join('\n'),
    });
    expect(uploaded.status).toBe(201);
    const stored = await db.references.latest(modelId);
    const inForce = ReferenceProfile.fromJSON(stored!.profile as unknown as ReferenceProfileJSON);
    // the panes of the monitor summarise the declared features on the reference in force
    const window = Object.fromEntries(
      Object.keys(FEATURES).map((name) => [name, inForce.column(name).newSummary()]),
    );
    const july = month('2011-07-');
    const [header, ...rows] = july.lines;
    const names = header.split(',');
    for (const line of rows) {
      const values = line.split(',');
      ReferenceProfile.updateWindow(window, Object.fromEntries(names.map((n, i) => [n, values[i]])));
    }
    const columns = Object.fromEntries(Object.entries(window).map(([name, s]) => [name, s.toJSON()]));
    await db.windowSummaries.save([
      {
        modelId,
        windowStart: new Date(JULY.windowStart),
        windowEnd: new Date(JULY.windowEnd),
        summary: { columns, cbpe: null, pca: null },
      },
    ]);
    return { modelId, july };
  }

  it('pins a stored window as the newest reference, with the window’s own edges and shares', async () => {
    const { modelId, july } = await modelWithJulyWindow();
    const response = await pin(modelId, { ...JULY, name: 'july-2011' });
    expect(response.status).toBe(201);
    const body = await readJson<ReferenceSummary>(response);
    const rows = july.lines.length - 1;
    expect(body).toMatchObject({ modelId, name: 'july-2011', rows, multivariate: null, calibration: null });
    expect(body.skipped.pca).toMatch(/no rows/);
    for (const name of ['temp', 'hum', 'windspeed']) {
      // fewer than 128 distinct values in the window: the exact type-7 edges
      expect(body.features[name]).toMatchObject({
        type: 'numeric',
        declared: true,
        missingShare: 0,
        edges: binEdges(july.column(name).map(Number)),
      });
    }
    // cnt has more distinct values than the summary keeps: edges from the sketch, within its bound
    const cnt = july
      .column('cnt')
      .map(Number)
      .sort((a, b) => a - b);
    const gamma = 1.01 / 0.99;
    body.features.cnt.edges!.forEach((edge, i) => {
      const low = cnt[Math.floor((cnt.length - 1) * ((i + 1) / 10))];
      expect(edge).toBeGreaterThanOrEqual(low);
      expect(edge).toBeLessThanOrEqual(low * gamma);
    });
    const weather = july.column('weathersit');
    const categories = [...new Set(weather)].sort();
    expect(body.features.weathersit).toMatchObject({
      type: 'categorical',
      categories,
      shares: categories.map((c) => weather.filter((w) => w === c).length / rows),
    });

    const stored = await db.references.latest(modelId);
    expect(stored).toMatchObject({ id: body.referenceId, name: 'july-2011', rowCount: rows });
    const profile = ReferenceProfile.fromJSON(stored!.profile as unknown as ReferenceProfileJSON);
    expect(profile.column('temp').json.edges).toEqual(body.features.temp.edges);
    expect(profile.column('cnt').json.edgeSource).toBe('sketch');
    expect(profile.column('temp').json.numeric!.binCounts.reduce((s, c) => s + c, 0)).toBe(rows);
    expect(stored!.profile.pca).toBeNull();
  });

  it('names the window by its bounds when the pin gives no name', async () => {
    const { modelId } = await modelWithJulyWindow();
    const response = await pin(modelId, JULY);
    expect(response.status).toBe(201);
    expect((await readJson<ReferenceSummary>(response)).name).toBe(
      `window-${JULY.windowStart}/${JULY.windowEnd}`,
    );
  });

  it('answers 404 window_not_found for a window with no stored summary, 404 for an unknown model', async () => {
    const { modelId } = await modelWithJulyWindow();
    const missing = await pin(modelId, { ...JULY, windowEnd: '2011-07-01T01:00:00Z' });
    expect(missing.status).toBe(404);
    expect((await readJson<ErrorBody>(missing)).error.code).toBe('window_not_found');
    const unknown = await pin(uniqueName('nobody'), JULY);
    expect(unknown.status).toBe(404);
    expect((await readJson<ErrorBody>(unknown)).error.code).toBe('model_not_found');
    expect((await db.references.latest(modelId))!.name).toBe('upload-csv');
  });

  it('answers 400 reference_missing_features when the spec now declares a feature the window lacks', async () => {
    const { modelId } = await modelWithJulyWindow();
    const updated = await api.fetch(`/v1/models/${modelId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        window: { size: '1h', step: '5m', allowedLateness: '0s' },
        features: { ...FEATURES, atemp: 'numeric' },
      }),
    });
    expect(updated.status).toBe(200);
    const response = await pin(modelId, JULY);
    expect(response.status).toBe(400);
    expect(await readJson<ErrorBody>(response)).toMatchObject({
      error: { code: 'reference_missing_features', details: { features: ['atemp'] } },
    });
  });

  it.each([
    ['a bound that is not a timestamp', { ...JULY, windowStart: 'last tuesday' }],
    ['a missing bound', { windowStart: JULY.windowStart }],
    ['an end not after the start', { windowStart: JULY.windowEnd, windowEnd: JULY.windowStart }],
  ])('answers 400 invalid_pin for %s', async (_, body) => {
    const { modelId } = await modelWithJulyWindow();
    const response = await pin(modelId, body);
    expect(response.status).toBe(400);
    expect((await readJson<ErrorBody>(response)).error.code).toBe('invalid_pin');
  });
});
