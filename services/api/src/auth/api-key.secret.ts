import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * A key's secret is `dlk_<keyId>_<32 random bytes, base64url>`: the key id is read back from it, so
 * a request needs one row, and the 256 random bits are what make it unguessable.
 */
const SECRET_PATTERN = /^dlk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

export function newSecret(keyId: string): string {
  return `dlk_${keyId}_${randomBytes(32).toString('base64url')}`;
}

/** The key id a secret names, or null when it is not a Driftline secret. */
export function keyIdOf(secret: string): string | null {
  return SECRET_PATTERN.exec(secret)?.[1] ?? null;
}

/** What the in-process cache of verified secrets is keyed by: the secret itself is never kept. */
export function secretDigest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

// scrypt's interactive parameters (N = 2^14, r = 8, p = 1: tens of ms and 16 MiB per hash).
const PARAMETERS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$<salt>$<hash>` (base64url), with a salt of its own. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, PARAMETERS);
  const { N, r, p } = PARAMETERS;
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Whether `secret` is the one `stored` was hashed from, compared in constant time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(secret, Buffer.from(salt, 'base64url'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
