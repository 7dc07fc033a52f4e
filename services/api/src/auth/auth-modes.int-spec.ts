import { createIsolatedDatabase, waitFor } from '@driftline/testing';
import { fetchWithKey, readJson, startApi } from '../models/api-app.fixture';
import type { CreatedApiKey } from './api-key.mapper';
import { capturingLogger } from './auth.fixture';
import type { ApiKeyList } from './keys.controller';

interface LogLine {
  level: number;
  msg: string;
}

const lines = (text: string): LogLine[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LogLine);

describe('auth modes of the api', () => {
  it('is open with DRIFTLINE_AUTH=off, and says so in its log and in driftline_auth_disabled', async () => {
    const logs = capturingLogger();
    const api = await startApi({ env: { DRIFTLINE_AUTH: 'off' }, logger: logs.logger });
    try {
      expect((await fetch(`${api.url}/v1/models`)).status).toBe(200);
      expect((await fetch(`${api.url}/v1/keys`)).status).toBe(200);
      const warning = lines(logs.text()).find((l) => l.msg.startsWith('DRIFTLINE_AUTH=off'));
      expect(warning?.level).toBe(40);
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      expect(metrics).toMatch(/^driftline_auth_disabled\{service="api"\} 1$/m);
    } finally {
      await api.close();
    }
  });

  it('starts without DRIFTLINE_ADMIN_KEY and no stored key, logs that nobody can call it, and refuses', async () => {
    const database = await createIsolatedDatabase();
    const logs = capturingLogger();
    const api = await startApi({
      env: { DATABASE_URL: database.url, DRIFTLINE_ADMIN_KEY: '' },
      logger: logs.logger,
    });
    try {
      const error = lines(logs.text()).find((l) => l.msg.startsWith('no API key can call the api'));
      expect(error?.level).toBe(50);
      expect((await fetch(`${api.url}/v1/models`)).status).toBe(401);
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    } finally {
      await api.close();
      await database.drop();
    }
  });

  it("honours another instance's keys: a new one at once, a revocation within AUTH_KEY_CACHE_MS", async () => {
    const env = { AUTH_KEY_CACHE_MS: '200' };
    const [a, b] = [await startApi({ env }), await startApi({ env })];
    try {
      const created = await a.fetch('/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'shared', scopes: ['read'] }),
      });
      const key = await readJson<CreatedApiKey>(created);
      const onB = fetchWithKey(b.url, key.secret);
      expect((await onB('/v1/models')).status).toBe(200);
      await waitFor(
        async () => {
          const list = await readJson<ApiKeyList>(await a.fetch('/v1/keys?limit=1000'));
          return list.keys.find((k) => k.keyId === key.keyId)?.lastUsedAt != null;
        },
        { timeoutMs: 10_000, intervalMs: 100, message: 'lastUsedAt written' },
      );
      expect((await a.fetch(`/v1/keys/${key.keyId}`, { method: 'DELETE' })).status).toBe(204);
      await waitFor(async () => (await onB('/v1/models')).status === 401, {
        timeoutMs: 10_000,
        intervalMs: 50,
        message: 'the revocation reached the other instance',
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
