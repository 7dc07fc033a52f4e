import { compile } from './event.validator';

/**
 * What an API key may do: `ingest` POST events (the ingestion routes only), `read` GET everything
 * under /v1, `admin` everything, keys included.
 */
export const API_KEY_SCOPES = ['ingest', 'read', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The body of POST /v1/keys. */
export interface ApiKeyRequest {
  name: string;
  scopes: ApiKeyScope[];
}

export const apiKeyRequestSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/api-key-request.v1.json',
  title: 'ApiKeyRequest',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    scopes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...API_KEY_SCOPES] },
    },
  },
} as const;

export const validateApiKeyRequest = compile<ApiKeyRequest>(apiKeyRequestSchema);
