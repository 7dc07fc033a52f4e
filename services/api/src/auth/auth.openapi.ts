import { API_KEY_SCOPES, apiKeyRequestSchema } from '@driftline/contracts';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref('Error')) });

const keyFields = {
  keyId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
  name: { type: 'string' },
  scopes: { type: 'array', items: { enum: [...API_KEY_SCOPES] } },
  createdAt: { type: 'string', format: 'date-time' },
};

/** /v1/keys: admin only. */
export const KEY_PATHS = {
  '/v1/keys': {
    post: {
      summary: 'Create an API key; the answer holds its secret, shown this once',
      requestBody: { required: true, content: json(ref('ApiKeyRequest')) },
      responses: {
        '201': { description: 'created, with the secret', content: json(ref('CreatedApiKey')) },
        '400': error('invalid_key (every reason: unknown fields, empty name, unknown scope)'),
        '415': error('not JSON'),
      },
    },
    get: {
      summary: 'API keys, revoked ones included, oldest first; never their secrets',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 1000 },
        },
        {
          name: 'cursor',
          in: 'query',
          required: false,
          schema: { type: 'string' },
          description: 'nextCursor of the previous page',
        },
      ],
      responses: {
        '200': {
          description: 'a page of keys',
          content: json({
            type: 'object',
            properties: {
              keys: { type: 'array', items: ref('ApiKey') },
              nextCursor: { type: ['string', 'null'] },
            },
          }),
        },
        '400': error('invalid_query'),
      },
    },
  },
  '/v1/keys/{keyId}': {
    parameters: [{ name: 'keyId', in: 'path', required: true, schema: { type: 'string' } }],
    delete: {
      summary: 'Revoke a key: refused at once here, within AUTH_KEY_CACHE_MS on other api instances',
      responses: {
        '204': { description: 'revoked (again: still 204)' },
        '400': error('bootstrap_key: DRIFTLINE_ADMIN_KEY is revoked by changing the variable'),
        '404': error('key_not_found'),
      },
    },
  },
};

export const KEY_SCHEMAS = {
  ApiKeyRequest: (({ $id: _id, ...rest }) => rest)(apiKeyRequestSchema),
  ApiKey: {
    type: 'object',
    properties: {
      ...keyFields,
      revokedAt: { type: ['string', 'null'], format: 'date-time' },
      lastUsedAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'to within AUTH_KEY_CACHE_MS',
      },
    },
  },
  CreatedApiKey: {
    type: 'object',
    properties: { ...keyFields, secret: { type: 'string', description: 'dlk_<keyId>_<random>; shown once' } },
  },
};

const OPERATIONS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Document {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: object };
}

/**
 * Marks who may call what: everything under /v1 needs a bearer key (401 without a valid one, 403
 * without the scope); the rest (health, metrics, the alert link, the dashboard shell) is public.
 */
export function withAuth<T extends Document>(document: T): T {
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => {
      const keyed = path.startsWith('/v1/');
      const operations = OPERATIONS.filter((m) => item[m] !== undefined).map((m) => {
        const operation = item[m] as { responses?: Record<string, unknown> };
        return [
          m,
          keyed
            ? {
                ...operation,
                responses: {
                  ...operation.responses,
                  '401': { $ref: '#/components/responses/Unauthenticated' },
                  '403': { $ref: '#/components/responses/Forbidden' },
                },
              }
            : { ...operation, security: [] },
        ];
      });
      return [path, { ...item, ...Object.fromEntries(operations) }];
    }),
  );
  return {
    ...document,
    security: [{ apiKey: [] }],
    paths,
    components: {
      ...document.components,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key (POST /v1/keys) or DRIFTLINE_ADMIN_KEY. Scopes: ingest (POST /v1/predictions and /v1/ground-truth), read (GET under /v1), admin (all).',
        },
      },
      responses: {
        Unauthenticated: {
          description: 'unauthenticated: no key, a malformed one, or one unknown or revoked',
          headers: {
            'WWW-Authenticate': { schema: { type: 'string', example: 'Bearer realm="driftline"' } },
          },
          content: json(ref('Error')),
        },
        Forbidden: {
          description: 'forbidden: the key lacks the scope the route needs (the message names it)',
          content: json(ref('Error')),
        },
      },
    },
  };
}
