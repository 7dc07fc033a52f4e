import { uniqueName } from '@driftline/testing';
import type { ErrorBody } from '@driftline/common';
import { readJson, startApi, type RunningApi } from './api-app.fixture';
import type { ModelView } from './model.mapper';
import type { ModelList } from './models.service';

const json = (body: unknown): RequestInit => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('models API on the real app and Postgres', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const spec = (modelId: string) => ({
    modelId,
    task: 'binary',
    features: { temp: 'numeric', season: 'categorical' },
    window: { size: '1h', step: '5m', allowedLateness: '10m' },
  });

  it('creates, reads, lists and updates a model', async () => {
    const id = uniqueName('bikes');
    const created = await api.fetch(`/v1/models`, { method: 'POST', ...json(spec(id)) });
    expect(created.status).toBe(201);
    const body = await readJson<ModelView>(created);
    expect(body).toMatchObject(spec(id));
    expect(Date.parse(body.createdAt)).not.toBeNaN();

    const read = await api.fetch(`/v1/models/${id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(body);

    const updated = await api.fetch(`/v1/models/${id}`, {
      method: 'PUT',
      ...json({ ...spec(id), modelId: undefined, bins: 20 }),
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ modelId: id, bins: 20, createdAt: body.createdAt });

    const list = await api.fetch(`/v1/models`);
    const { models } = await readJson<ModelList>(list);
    expect(models.find((m) => m.modelId === id)?.bins).toBe(20);
  });

  it('answers 409 for a model registered twice', async () => {
    const id = uniqueName('twice');
    await api.fetch(`/v1/models`, { method: 'POST', ...json(spec(id)) });
    const again = await api.fetch(`/v1/models`, { method: 'POST', ...json(spec(id)) });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'model_exists', details: { modelId: id } } });
  });

  it('answers 400 with every reason for an invalid spec', async () => {
    const response = await api.fetch(`/v1/models`, {
      method: 'POST',
      ...json({ modelId: 'bad id', window: { size: '1h', step: '5m' }, bins: 1 }),
    });
    expect(response.status).toBe(400);
    const { error } = await readJson<ErrorBody>(response);
    expect(error.code).toBe('invalid_model_spec');
    expect((error.details as string[]).sort()).toEqual(
      [
        '/modelId must match pattern "^[A-Za-z0-9][A-Za-z0-9._:-]*$"',
        '/window/allowedLateness is required',
        '/bins must be >= 2',
      ].sort(),
    );
    expect(typeof error.requestId).toBe('string');
  });

  it('answers 400 for a window whose size is not a whole number of steps', async () => {
    const response = await api.fetch(`/v1/models`, {
      method: 'POST',
      ...json({ ...spec(uniqueName('w')), window: { size: '1h', step: '7m', allowedLateness: '0s' } }),
    });
    expect(response.status).toBe(400);
    const { error } = await readJson<ErrorBody>(response);
    expect(error.details).toEqual(['/window/size: 3600000 ms is not a whole number of steps of 420000 ms.']);
  });

  it('answers 404 for an unknown model on GET and PUT', async () => {
    const id = uniqueName('nobody');
    const read = await api.fetch(`/v1/models/${id}`);
    expect(read.status).toBe(404);
    expect(await read.json()).toMatchObject({ error: { code: 'model_not_found', details: { modelId: id } } });
    const update = await api.fetch(`/v1/models/${id}`, { method: 'PUT', ...json(spec(id)) });
    expect(update.status).toBe(404);
  });

  it('serves the OpenAPI document and its UI at /docs', async () => {
    const document = await api.fetch(`/docs/openapi.json`);
    expect(document.status).toBe(200);
    const { openapi, paths } = await readJson<{ openapi: string; paths: Record<string, unknown> }>(document);
    expect(openapi).toBe('3.1.0');
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/v1/models', '/v1/models/{id}/reference', '/v1/models/{id}/metrics']),
    );
    const ui = await api.fetch(`/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
