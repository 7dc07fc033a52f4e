import { testDatabaseUrl, uniqueName } from '@driftline/testing';
import { Client } from 'pg';
import { PipelineSpecFactory } from '../../../../test/factories/retrain.factory';
import type { ErrorBody } from '@driftline/common';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import type { PipelineView } from './pipeline.mapper';
import type { PipelineList, RetrainDeliveryList } from './pipelines.controller';

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function storedSecret(pipelineId: string): Promise<string | null> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ secret: string }>('SELECT secret FROM pipelines WHERE id = $1', [
      pipelineId,
    ]);
    return rows[0]?.secret ?? null;
  } finally {
    await client.end();
  }
}

describe('pipelines API on the real app and Postgres', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const post = (body: unknown) => api.fetch(`/v1/pipelines`, json('POST', body));

  it('creates, reads, lists, replaces and deletes a pipeline, never returning its secret', async () => {
    const spec = PipelineSpecFactory.create({
      pipelineId: uniqueName('airflow'),
      matchers: [{ name: 'modelId', op: '=~', value: 'bikes.*' }],
      cooldown: '90m',
    });
    const created = await post(spec);
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain(spec.secret);
    const view = JSON.parse(text) as PipelineView;
    expect(view).toEqual({
      pipelineId: spec.pipelineId,
      url: spec.url,
      matchers: spec.matchers,
      cooldown: '1h30m',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const read = await api.fetch(`/v1/pipelines/${spec.pipelineId}`);
    expect(await read.json()).toEqual(view);

    // a replace without a secret keeps the stored one
    const replaced = await api.fetch(
      `/v1/pipelines/${spec.pipelineId}`,
      json('PUT', { url: 'https://ci.example.com/hooks/retrain', cooldown: '0s' }),
    );
    expect(replaced.status).toBe(200);
    const replacedText = await replaced.text();
    expect(replacedText).not.toContain(spec.secret);
    expect(JSON.parse(replacedText)).toMatchObject({
      pipelineId: spec.pipelineId,
      url: 'https://ci.example.com/hooks/retrain',
      matchers: [],
      cooldown: '0ms',
    });
    expect(await storedSecret(spec.pipelineId)).toBe(spec.secret);
    // a replace with one rotates it
    await api.fetch(
      `/v1/pipelines/${spec.pipelineId}`,
      json('PUT', { ...spec, secret: 'rotated-secret-0123456789' }),
    );
    expect(await storedSecret(spec.pipelineId)).toBe('rotated-secret-0123456789');

    const deleted = await api.fetch(`/v1/pipelines/${spec.pipelineId}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const gone = await api.fetch(`/v1/pipelines/${spec.pipelineId}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: 'pipeline_not_found' } });
    expect((await api.fetch(`/v1/pipelines/${spec.pipelineId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('pages the list by id with an opaque cursor, and no page holds a secret', async () => {
    const base = uniqueName('page');
    const specs = ['a', 'b', 'c'].map((s) => PipelineSpecFactory.create({ pipelineId: `${base}-${s}` }));
    for (const spec of specs) expect((await post(spec)).status).toBe(201);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? 'limit=2' : `limit=2&cursor=${cursor}`;
      const response = await api.fetch(`/v1/pipelines?${query}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      for (const spec of specs) expect(text).not.toContain(spec.secret);
      const body = JSON.parse(text) as PipelineList;
      expect(body.pipelines.length).toBeLessThanOrEqual(2);
      seen.push(...body.pipelines.map((p) => p.pipelineId));
      cursor = body.nextCursor;
    } while (cursor !== null);
    expect(seen.filter((id) => id.startsWith(base))).toEqual(specs.map((s) => s.pipelineId));
    expect([...seen].sort()).toEqual(seen);

    const bad = await api.fetch(`/v1/pipelines?cursor=nonsense`);
    expect(bad.status).toBe(400);
    expect((await api.fetch(`/v1/pipelines?owner=me`)).status).toBe(400);
  });

  it('answers 409 for a pipeline created twice', async () => {
    const spec = PipelineSpecFactory.create({ pipelineId: uniqueName('twice') });
    await post(spec);
    const again = await post(spec);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      error: { code: 'pipeline_exists', details: { pipelineId: spec.pipelineId } },
    });
  });

  it('answers 400 unknown_field for a field the spec does not know, then every other reason', async () => {
    const unknown = await post({
      ...PipelineSpecFactory.create({ pipelineId: uniqueName('bad') }),
      retries: 5,
    });
    expect(unknown.status).toBe(400);
    expect((await readJson<ErrorBody>(unknown)).error).toMatchObject({
      code: 'unknown_field',
      message: 'unknown field /retries in the body',
      details: { fields: ['/retries'] },
    });
    const response = await post({
      pipelineId: uniqueName('bad'),
      url: 'not a url',
      matchers: [{ name: 'modelId', op: '=~', value: '(' }],
      cooldown: 'soon',
    });
    expect(response.status).toBe(400);
    const { error } = await readJson<ErrorBody>(response);
    expect(error.code).toBe('invalid_pipeline');
    expect(error.details).toEqual(['/url must match pattern "^https?://"', '/url must be a valid uri']);
    expect(typeof error.requestId).toBe('string');

    const regexAndCooldown = await post(
      PipelineSpecFactory.create({
        pipelineId: uniqueName('bad'),
        matchers: [{ name: 'modelId', op: '=~', value: '(' }],
        cooldown: 'soon',
      }),
    );
    const details = (await readJson<ErrorBody>(regexAndCooldown)).error.details as string[];
    expect(details).toHaveLength(2);
    expect(details[0]).toMatch(/^\/matchers\/0\/value: not a regular expression/);
    expect(details[1]).toMatch(/^\/cooldown: Invalid duration "soon"/);

    const { secret: _secret, ...noSecret } = PipelineSpecFactory.create({ pipelineId: uniqueName('bad') });
    const missing = await post(noSecret);
    expect((await readJson<ErrorBody>(missing)).error.details).toEqual(['/secret is required']);

    const mismatch = await api.fetch(
      `/v1/pipelines/${uniqueName('path')}`,
      json('PUT', PipelineSpecFactory.create({ pipelineId: uniqueName('body') })),
    );
    expect((await readJson<ErrorBody>(mismatch)).error.code).toBe('pipeline_id_mismatch');
  });

  it('shows an empty delivery log, 404 for an unknown pipeline and 400 for a bad filter', async () => {
    const spec = PipelineSpecFactory.create({ pipelineId: uniqueName('log') });
    await post(spec);
    const log = await api.fetch(`/v1/pipelines/${spec.pipelineId}/deliveries`);
    expect(await readJson<RetrainDeliveryList>(log)).toEqual({ deliveries: [], nextCursor: null });

    const all = await api.fetch(`/v1/retrain-deliveries?pipelineId=${spec.pipelineId}&status=failed`);
    expect(await readJson<RetrainDeliveryList>(all)).toEqual({ deliveries: [], nextCursor: null });

    expect((await api.fetch(`/v1/pipelines/${uniqueName('none')}/deliveries`)).status).toBe(404);
    const badStatus = await api.fetch(`/v1/retrain-deliveries?status=lost`);
    expect(badStatus.status).toBe(400);
    expect((await readJson<ErrorBody>(badStatus)).error.code).toBe('invalid_query');
  });

  it('answers 404 for a retrain of an unknown model and 400 for a request without a reason', async () => {
    const unknown = await api.fetch(
      `/v1/models/${uniqueName('nobody')}/retrain`,
      json('POST', { reason: 'new data' }),
    );
    expect(unknown.status).toBe(404);
    expect((await readJson<ErrorBody>(unknown)).error.code).toBe('model_not_found');

    const noReason = await api.fetch(`/v1/models/any/retrain`, json('POST', { modelVersion: 'v2' }));
    expect(noReason.status).toBe(400);
    expect((await readJson<ErrorBody>(noReason)).error).toMatchObject({
      code: 'invalid_retrain_request',
      details: ['/reason is required'],
    });
    const why = await api.fetch(`/v1/models/any/retrain`, json('POST', { reason: 'r', why: 'x' }));
    expect((await readJson<ErrorBody>(why)).error.details).toEqual({ fields: ['/why'] });
  });

  it('documents every route in the OpenAPI document', async () => {
    const { paths } = await readJson<{ paths: Record<string, Record<string, unknown>> }>(
      await api.fetch(`/docs/openapi.json`),
    );
    const methods = (path: string) =>
      Object.keys(paths[path])
        .filter((k) => k !== 'parameters')
        .sort();
    expect(methods('/v1/pipelines')).toEqual(['get', 'post']);
    expect(methods('/v1/pipelines/{id}')).toEqual(['delete', 'get', 'put']);
    expect(methods('/v1/pipelines/{id}/deliveries')).toEqual(['get']);
    expect(methods('/v1/retrain-deliveries')).toEqual(['get']);
    expect(methods('/v1/models/{id}/retrain')).toEqual(['post']);
  });
});
