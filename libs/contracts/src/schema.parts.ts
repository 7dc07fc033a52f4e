// Building blocks shared by the v1 event schemas.
export const identifier = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const modelIdentifier = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
} as const;
export const isoTimestamp = { type: 'string', format: 'date-time' } as const;
export const probability = { type: 'number', minimum: 0, maximum: 1 } as const;
