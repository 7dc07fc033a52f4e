import type { ApiKeyScope } from '@driftline/contracts';
import type { ApiKeyRecord } from '@driftline/db';

/** A key as GET /v1/keys lists it: never its secret or hash. */
export interface ApiKeyView {
  keyId: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  revokedAt: string | null;
  /** Within AUTH_KEY_CACHE_MS of the last request it authorised. */
  lastUsedAt: string | null;
}

/** The answer of POST /v1/keys, the only time the secret is shown. */
export interface CreatedApiKey {
  keyId: string;
  name: string;
  scopes: ApiKeyScope[];
  secret: string;
  createdAt: string;
}

export function mapApiKey(key: ApiKeyRecord): ApiKeyView {
  return {
    keyId: key.keyId,
    name: key.name,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}
