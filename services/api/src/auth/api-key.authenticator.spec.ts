import { loadConfig } from '@driftline/config';
import type { ApiKeyRecord, ApiKeyRepository } from '@driftline/db';
import { createLogger, systemClock } from '@driftline/common';
import { waitFor } from '@driftline/testing';
import { strictMock } from '../../../../test/utils/strict-mock';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import * as secrets from './api-key.secret';

const ADMIN_KEY = 'a'.repeat(40);

async function storedKey(): Promise<{ record: ApiKeyRecord; secret: string }> {
  const keyId = secrets.newKeyId();
  const secret = secrets.newSecret(keyId);
  const record: ApiKeyRecord = {
    keyId,
    name: 'producer',
    scopes: ['ingest'],
    secretHash: await secrets.hashSecret(secret),
    createdAt: new Date(),
    revokedAt: null,
    lastUsedAt: null,
  };
  return { record, secret };
}

describe('ApiKeyAuthenticator', () => {
  let stored: ApiKeyRecord[];
  const markUsed = jest.fn<Promise<void>, [string[], Date]>();
  let authenticator: ApiKeyAuthenticator;
  const verify = jest.spyOn(secrets, 'verifySecret');

  beforeEach(async () => {
    stored = [];
    verify.mockClear();
    markUsed.mockReset().mockResolvedValue(undefined);
    const keys = strictMock<ApiKeyRepository>({
      findAllActive: async () => stored,
      findActive: async (keyId) => stored.find((k) => k.keyId === keyId) ?? null,
      markUsed,
    });
    const config = loadConfig({ DRIFTLINE_ADMIN_KEY: ADMIN_KEY, AUTH_KEY_CACHE_MS: '100' });
    authenticator = new ApiKeyAuthenticator(config, keys, createLogger('api', 'silent'), systemClock);
    await authenticator.onModuleInit();
  });

  afterEach(() => authenticator.beforeApplicationShutdown());

  it('hashes a secret once, however many requests carry it at the same time', async () => {
    const { record, secret } = await storedKey();
    stored.push(record);
    const principals = await Promise.all(
      Array.from({ length: 20 }, () => authenticator.authenticate(`Bearer ${secret}`)),
    );
    await authenticator.authenticate(`bearer ${secret}`);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(new Set(principals.map((p) => p.keyId))).toEqual(new Set([record.keyId]));
    await waitFor(() => markUsed.mock.calls.some(([ids]) => ids.includes(record.keyId)), {
      timeoutMs: 5000,
      intervalMs: 20,
      message: 'the use recorded',
    });
  });

  it('remembers a wrong secret, so sending it again costs no hash', async () => {
    const { record, secret } = await storedKey();
    stored.push(record);
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (let i = 0; i < 3; i++) {
      await expect(authenticator.authenticate(`Bearer ${wrong}`)).rejects.toMatchObject({
        status: 401,
        message: 'unknown or revoked API key',
      });
    }
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a key revoked here at once, and one revoked elsewhere after a refresh', async () => {
    const [here, elsewhere] = [await storedKey(), await storedKey()];
    stored.push(here.record, elsewhere.record);
    await authenticator.authenticate(`Bearer ${here.secret}`);
    await authenticator.authenticate(`Bearer ${elsewhere.secret}`);
    authenticator.forget(here.record.keyId);
    await expect(authenticator.authenticate(`Bearer ${here.secret}`)).rejects.toMatchObject({ status: 401 });
    stored = [];
    await waitFor(
      () =>
        authenticator.authenticate(`Bearer ${elsewhere.secret}`).then(
          () => false,
          () => true,
        ),
      { timeoutMs: 5000, intervalMs: 20, message: 'the revocation elsewhere honoured' },
    );
  });

  it('takes DRIFTLINE_ADMIN_KEY as an admin without a row, and refuses what is not a key', async () => {
    expect(await authenticator.authenticate(`Bearer ${ADMIN_KEY}`)).toMatchObject({ scopes: ['admin'] });
    await expect(authenticator.authenticate(undefined)).rejects.toMatchObject({ reason: 'missing' });
    await expect(authenticator.authenticate(ADMIN_KEY)).rejects.toMatchObject({ reason: 'malformed' });
    await expect(authenticator.authenticate('Bearer nope')).rejects.toMatchObject({ reason: 'malformed' });
    expect(verify).not.toHaveBeenCalled();
  });
});
