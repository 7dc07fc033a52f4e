import { Inject, Injectable } from '@nestjs/common';
import { validateApiKeyRequest } from '@driftline/contracts';
import type { ApiKeyRepository } from '@driftline/db';
import { ApiError } from '@driftline/common';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { mapApiKey, type ApiKeyView, type CreatedApiKey } from './api-key.mapper';
import { hashSecret, newKeyId, newSecret } from './api-key.secret';
import { BOOTSTRAP_PRINCIPAL } from './api-key.principal';
import { API_KEY_REPOSITORY } from './auth.tokens';

/** Creation, listing and revocation of API keys; the api is the only writer of api_keys. */
@Injectable()
export class KeysService {
  constructor(
    @Inject(API_KEY_REPOSITORY) private readonly keys: ApiKeyRepository,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async create(body: unknown): Promise<CreatedApiKey> {
    if (body === undefined) {
      throw new ApiError(415, 'unsupported_media_type', 'send the key as application/json');
    }
    const result = validateApiKeyRequest(body);
    if (!result.ok) {
      throw new ApiError(
        400,
        'invalid_key',
        `the key is invalid: ${result.errors.join('; ')}`,
        result.errors,
      );
    }
    const keyId = newKeyId();
    const secret = newSecret(keyId);
    const stored = await this.keys.create({
      keyId,
      name: result.value.name,
      scopes: result.value.scopes,
      secretHash: await hashSecret(secret),
    });
    this.authenticator.remember(stored);
    const { name, scopes, createdAt } = mapApiKey(stored);
    return { keyId, name, scopes, secret, createdAt };
  }

  /** Oldest first, after the key `after` names. */
  async list(after: { createdAt: Date; keyId: string } | undefined, limit: number): Promise<ApiKeyView[]> {
    return (await this.keys.page({ after, limit })).map(mapApiKey);
  }

  async revoke(keyId: string): Promise<void> {
    if (keyId === BOOTSTRAP_PRINCIPAL.keyId) {
      throw new ApiError(
        400,
        'bootstrap_key',
        'DRIFTLINE_ADMIN_KEY is not stored: change or unset the variable and restart the api to revoke it',
      );
    }
    if ((await this.keys.revoke(keyId)) === null) {
      throw new ApiError(404, 'key_not_found', `API key "${keyId}" does not exist`, { keyId });
    }
    this.authenticator.forget(keyId);
  }
}
