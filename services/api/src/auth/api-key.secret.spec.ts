import { hashSecret, keyIdOf, newKeyId, newSecret, verifySecret } from './api-key.secret';

describe('API key secrets', () => {
  it('name their key id and carry 32 random bytes', () => {
    const keyId = newKeyId();
    const secret = newSecret(keyId);
    expect(secret).toMatch(/^dlk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(keyIdOf(secret)).toBe(keyId);
    expect(newSecret(keyId)).not.toBe(secret);
  });

  it.each(['', 'dlk_', 'Bearer x', `dlk_${'0'.repeat(16)}_short`, `dlk_${'G'.repeat(16)}_${'a'.repeat(43)}`])(
    'reads no key id from %j',
    (text) => expect(keyIdOf(text)).toBeNull(),
  );

  it('are stored as a salted scrypt hash that only the same secret verifies', async () => {
    const secret = newSecret(newKeyId());
    const stored = await hashSecret(secret);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(secret.slice(21));
    expect(await hashSecret(secret)).not.toBe(stored);
    expect(await verifySecret(secret, stored)).toBe(true);
    const other = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await verifySecret(other, stored)).toBe(false);
    expect(await verifySecret(secret, 'plain')).toBe(false);
  });
});
