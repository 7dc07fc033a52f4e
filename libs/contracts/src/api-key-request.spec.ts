import { validateApiKeyRequest } from './api-key-request';

describe('validateApiKeyRequest', () => {
  it('accepts a name and known scopes', () => {
    expect(validateApiKeyRequest({ name: 'producer', scopes: ['ingest', 'read'] })).toEqual({
      ok: true,
      value: { name: 'producer', scopes: ['ingest', 'read'] },
    });
  });

  it.each([
    [{ name: 'x', scopes: ['write'] }, '/scopes/0 must be equal to one of the allowed values'],
    [{ name: '', scopes: ['read'] }, '/name must NOT have fewer than 1 characters'],
    [{ name: '   ', scopes: ['read'] }, '/name must match pattern "\\S"'],
    [{ name: 'x', scopes: [] }, '/scopes must NOT have fewer than 1 items'],
    [{ name: 'x', scopes: ['read'], secret: 'mine' }, "(root) has unknown property 'secret'"],
    [{ scopes: ['read'] }, '/name is required'],
  ])('refuses %j: %s', (body, reason) => {
    const result = validateApiKeyRequest(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toContain(reason);
  });
});
