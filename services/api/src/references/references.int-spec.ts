import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { openDatabase, type Database } from '@driftline/db';
import { binEdges, Cbpe, type CbpeState } from '@driftline/stats';
import { bikeSharingCsv, testDatabaseUrl, uniqueName } from '@driftline/testing';
import type { ErrorBody } from '@driftline/common';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import type { ReferenceSummary } from './reference.mapper';

const BIKES = bikeSharingCsv();
const NUMERIC = ['temp', 'atemp', 'hum', 'windspeed', 'hr'] as const;

/** January 2011 rows of the bike-sharing data, as CSV lines (header first), read independently of the API. */
function january2011(): { lines: string[]; column: (name: string) => number[] } {
  const [header, ...rows] = readFileSync(BIKES, 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  const january = rows.filter((line) => line.split(',')[names.indexOf('dteday')].startsWith('2011-01-'));
  return {
    lines: [header, ...january],
    column: (name) => january.map((line) => Number(line.split(',')[names.indexOf(name)])),
  };
}

/** A body streamed line by line, never held whole by the request. */
function streamed(lines: string[]): { body: Readable; duplex: 'half' } {
  return { body: Readable.from(lines.map((l) => `${l}\n`)), duplex: 'half' };
}

describe('reference upload on the real app and Postgres', () => {
  let api: RunningApi;
  let db: Database;
  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'references-int' });
  });
  afterAll(async () => {
    await db.close();
    await api.close();
  });

  async function register(spec: Record<string, unknown>): Promise<string> {
    const modelId = uniqueName('model');
    const response = await api.fetch(`/v1/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ modelId, window: { size: '1h', step: '5m', allowedLateness: '0s' }, ...spec }),
    });
    expect(response.status).toBe(201);
    return modelId;
  }

  function upload(modelId: string, contentType: string, lines: string[], query = ''): Promise<Response> {
    return api.fetch(`/v1/models/${modelId}/reference${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      ...streamed(lines),
    } as RequestInit);
  }

  it('profiles January 2011 of the bike data: exact bin edges, inferred and declared types, PCA', async () => {
    const modelId = await register({
      features: {
        season: 'categorical',
        temp: 'numeric',
        atemp: 'numeric',
        hum: 'numeric',
        windspeed: 'numeric',
      },
      task: 'regression',
    });
    const bikes = january2011();
    const response = await upload(modelId, 'text/csv; charset=utf-8', bikes.lines, '?name=january-2011');
    expect(response.status).toBe(201);
    const body = await readJson<ReferenceSummary>(response);
    expect(body.rows).toBe(bikes.lines.length - 1);
    for (const name of NUMERIC) {
      expect(body.features[name]).toMatchObject({
        type: 'numeric',
        missingShare: 0,
        edges: binEdges(bikes.column(name)),
      });
    }
    expect(body.features.temp.declared).toBe(true);
    expect(body.features.hr.declared).toBe(false);
    expect(body.features.season).toMatchObject({
      type: 'categorical',
      declared: true,
      categories: ['1'],
      shares: [1],
    });
    expect(body.features.dteday).toMatchObject({ type: 'categorical', declared: false });
    // PCA takes the declared numeric features, as the monitor watches only those
    expect(body.multivariate!.features).toEqual(['temp', 'atemp', 'hum', 'windspeed']);
    expect(body.calibration).toBeNull();

    const stored = await db.references.latest(modelId);
    expect(stored).toMatchObject({ id: body.referenceId, name: 'january-2011', rowCount: body.rows });
    expect(stored!.profile.pca).toMatchObject({ features: body.multivariate!.features });
    expect(stored!.profile.calibration).toBeNull();
  });

  it('takes NDJSON and fits the CBPE calibration of a binary model on its scores and targets', async () => {
    const modelId = await register({ task: 'binary', features: { x: 'numeric' } });
    // P(y = 1 | score) is 1/4 at score 0.2 and 3/4 at score 0.8, so the isotonic fit is exactly that.
    const rows = Array.from({ length: 400 }, (_, i) => {
      const high = i % 2 === 1;
      const positive = high ? i % 8 !== 1 : i % 8 === 0;
      return {
        x: i,
        colour: i % 3 === 0 ? 'red' : 'blue',
        score: high ? 0.8 : 0.2,
        target: positive ? 1 : 0,
        prediction: high ? 1 : 0,
      };
    });
    const response = await upload(
      modelId,
      'application/x-ndjson',
      rows.map((r) => JSON.stringify(r)),
    );
    expect(response.status).toBe(201);
    const body = await readJson<ReferenceSummary>(response);
    expect(body.rows).toBe(400);
    expect(body.features.colour).toMatchObject({ type: 'categorical', categories: ['blue', 'red'] });
    expect(Object.keys(body.outputs).sort()).toEqual(['prediction', 'score', 'target']);
    expect(body.calibration).toEqual({ threshold: 0.5 });
    expect(body.multivariate).toBeNull();
    expect(body.skipped.pca).toMatch(/two numeric features/);

    const stored = await db.references.latest(modelId);
    const cbpe = Cbpe.fromJSON(stored!.profile.calibration as CbpeState);
    expect(cbpe.probability(0.2)).toBeCloseTo(0.25, 12);
    expect(cbpe.probability(0.8)).toBeCloseTo(0.75, 12);
  });

  it('answers 400 with the line of a non-number in a declared numeric feature', async () => {
    const modelId = await register({ features: { temp: 'numeric' } });
    const response = await upload(modelId, 'text/csv', [
      'temp,hum',
      '0.2,0.5',
      '0.3,0.6',
      'warm,0.7',
      '0.4,0.8',
    ]);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_reference_row', details: { line: 4 } },
    });
  });

  it('answers 400 with the line of a ragged CSV row', async () => {
    const modelId = await register({});
    const response = await upload(modelId, 'text/csv', ['a,b', '1,2', '3,4', '5,6,7']);
    expect(response.status).toBe(400);
    const { error } = await readJson<ErrorBody>(response);
    expect(error).toMatchObject({ code: 'invalid_reference_row', details: { line: 4 } });
  });

  it('answers 400 with the line of a bad JSON line', async () => {
    const modelId = await register({});
    const response = await upload(modelId, 'application/x-ndjson', ['{"a":1}', '', '{"a":2', '{"a":3}']);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_reference_row', details: { line: 3 } },
    });
  });

  it('answers 404 for an unknown model and 415 for another content type', async () => {
    const unknown = await upload(uniqueName('nobody'), 'text/csv', ['a', '1']);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'model_not_found' } });

    const modelId = await register({});
    const xml = await upload(modelId, 'application/xml', ['<a>1</a>']);
    expect(xml.status).toBe(415);
    expect(await xml.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('answers 400 for a reference without rows or without a declared feature', async () => {
    const modelId = await register({ features: { temp: 'numeric' } });
    const empty = await upload(modelId, 'text/csv', ['temp']);
    expect(empty.status).toBe(400);
    expect((await readJson<ErrorBody>(empty)).error.code).toBe('empty_reference');
    const missing = await upload(modelId, 'text/csv', ['hum', '0.5']);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { code: 'reference_missing_features', details: { features: ['temp'] } },
    });
  });
});
