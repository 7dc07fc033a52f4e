import type { ErrorBody } from '@driftline/common';
import { PredictionFactory } from '../../../../test/factories/event.factory';
import { fetchWithKey, readJson, startApi, TEST_ADMIN_KEY, type RunningApi } from '../models/api-app.fixture';
import type { ApiKeyList } from './keys.controller';
import type { CreatedApiKey } from './api-key.mapper';
import { capturingLogger } from './auth.fixture';

const json = (body: unknown, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  body: JSON.stringify(body),
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  return (await readJson<ErrorBody>(response)).error;
}

describe('API keys on the real app and Postgres', () => {
  let api: RunningApi;
  const logs = capturingLogger();
  const secrets: string[] = [TEST_ADMIN_KEY];

  beforeAll(async () => {
    api = await startApi({ logger: logs.logger });
  });
  afterAll(() => api.close());

  async function createKey(name: string, scopes: string[]): Promise<CreatedApiKey> {
    const response = await api.fetch('/v1/keys', json({ name, scopes }, { method: 'POST' }));
    expect(response.status).toBe(201);
    const key = await readJson<CreatedApiKey>(response);
    secrets.push(key.secret);
    return key;
  }

  it('refuses a request without a key, or with a malformed or unknown one: 401 with WWW-Authenticate', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'no API key: send Authorization: Bearer <key>'],
      [{ authorization: 'Basic dXNlcjpwdw==' }, 'the Authorization header is not Bearer <key>'],
      [bearer('not-a-driftline-key'), 'not a Driftline API key (dlk_...)'],
      [bearer(`dlk_0123456789abcdef_${'A'.repeat(43)}`), 'unknown or revoked API key'],
    ];
    for (const [headers, message] of cases) {
      const response = await fetch(`${api.url}/v1/models`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="driftline"');
      expect(await errorOf(response)).toMatchObject({ code: 'unauthenticated', message });
    }
  });

  it('lets an admin create, list and revoke keys; the secret is shown once', async () => {
    const created = await createKey('producer', ['ingest']);
    expect(created).toEqual({
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      name: 'producer',
      scopes: ['ingest'],
      secret: expect.stringMatching(new RegExp(`^dlk_${created.keyId}_[A-Za-z0-9_-]{43}$`)),
      createdAt: expect.any(String),
    });
    const listText = await (await api.fetch('/v1/keys?limit=1000')).text();
    expect(listText).not.toContain(created.secret);
    expect(listText).not.toContain('scrypt');
    const listed = (JSON.parse(listText) as ApiKeyList).keys.find((k) => k.keyId === created.keyId);
    expect(listed).toEqual({
      keyId: created.keyId,
      name: 'producer',
      scopes: ['ingest'],
      createdAt: created.createdAt,
      revokedAt: null,
      lastUsedAt: null,
    });

    expect((await api.fetch(`/v1/keys/${created.keyId}`, { method: 'DELETE' })).status).toBe(204);
    const after = await readJson<ApiKeyList>(await api.fetch('/v1/keys?limit=1000'));
    expect(after.keys.find((k) => k.keyId === created.keyId)?.revokedAt).toEqual(expect.any(String));
    const unknown = await api.fetch('/v1/keys/0000000000000000', { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('key_not_found');
  });

  it('pages the key list with a cursor', async () => {
    await createKey('page-a', ['read']);
    await createKey('page-b', ['read']);
    const first = await readJson<ApiKeyList>(await api.fetch('/v1/keys?limit=1'));
    expect(first.keys).toHaveLength(1);
    const second = await readJson<ApiKeyList>(await api.fetch(`/v1/keys?limit=1&cursor=${first.nextCursor}`));
    expect(second.keys).toHaveLength(1);
    expect(second.keys[0].createdAt >= first.keys[0].createdAt).toBe(true);
    expect(second.keys[0].keyId).not.toBe(first.keys[0].keyId);
    expect((await api.fetch('/v1/keys?sort=name')).status).toBe(400);
  });

  it.each([
    [{ name: 'x', scopes: ['write'] }, '/scopes/0 must be equal to one of the allowed values'],
    [{ name: '', scopes: ['read'] }, '/name must NOT have fewer than 1 characters'],
  ])('refuses the key %j: 400 invalid_key', async (body, reason) => {
    const response = await api.fetch('/v1/keys', json(body, { method: 'POST' }));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      code: 'invalid_key',
      details: expect.arrayContaining([reason]),
    });
  });

  it('refuses a key naming its own secret: 400 unknown_field', async () => {
    const response = await api.fetch(
      '/v1/keys',
      json({ name: 'x', scopes: ['read'], secret: 'mine' }, { method: 'POST' }),
    );
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      code: 'unknown_field',
      details: { fields: ['/secret'] },
    });
  });

  it('refuses a revoked key at once on the instance that revoked it', async () => {
    const key = await createKey('to-revoke', ['read']);
    const asKey = fetchWithKey(api.url, key.secret);
    expect((await asKey('/v1/models')).status).toBe(200);
    await api.fetch(`/v1/keys/${key.keyId}`, { method: 'DELETE' });
    const refused = await asKey('/v1/models');
    expect(refused.status).toBe(401);
    expect(await errorOf(refused)).toMatchObject({
      code: 'unauthenticated',
      message: 'unknown or revoked API key',
    });
  });

  it('gives each scope its routes: ingest posts events only, read GETs only, admin all', async () => {
    const ingest = fetchWithKey(api.url, (await createKey('ingest-only', ['ingest'])).secret);
    const read = fetchWithKey(api.url, (await createKey('read-only', ['read'])).secret);
    const event = PredictionFactory.create();

    expect((await ingest('/v1/predictions', json([event], { method: 'POST' }))).status).toBe(202);
    const ingestReads = await ingest('/v1/models');
    expect(ingestReads.status).toBe(403);
    expect(await errorOf(ingestReads)).toMatchObject({
      code: 'forbidden',
      message: 'this route needs a key with the read scope (or admin)',
      details: { needed: 'read', scopes: ['ingest'] },
    });

    expect((await read('/v1/models')).status).toBe(200);
    expect((await read('/v1/alerts')).status).toBe(200);
    const readWrites = await read('/v1/models', json({ modelId: 'x' }, { method: 'POST' }));
    expect(readWrites.status).toBe(403);
    expect((await errorOf(readWrites)).message).toBe('this route needs a key with the admin scope');
    expect((await read('/v1/predictions', json([event], { method: 'POST' }))).status).toBe(403);
    expect((await read('/v1/keys')).status).toBe(403);

    expect((await api.fetch('/v1/predictions', json([event], { method: 'POST' }))).status).toBe(202);
  });

  it('serves health, readiness, metrics and the API document without a key', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/docs/openapi.json']) {
      expect([path, (await fetch(`${api.url}${path}`)).status]).toEqual([path, 200]);
    }
    const document = (await (await fetch(`${api.url}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
    };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/keys', '/v1/keys/{keyId}']));
    expect(document.paths['/v1/models'].get.responses['401']).toEqual({
      $ref: '#/components/responses/Unauthenticated',
    });
    expect(document.paths['/healthz'].get.security).toEqual([]);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^driftline_auth_disabled\{service="api"\} 0$/m);
    expect(metrics).toMatch(/^driftline_auth_refusals_total\{reason="missing",service="api"\} [1-9]/m);
  });

  it('never logs a secret', () => {
    expect(logs.text()).not.toBe('');
    for (const secret of secrets) expect(logs.text()).not.toContain(secret);
  });
});
