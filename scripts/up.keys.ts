import { randomBytes } from 'node:crypto';

export interface RunKey {
  key: string;
  /** false: DRIFTLINE_ADMIN_KEY was set. */
  generated: boolean;
}

/**
 * The admin key `npm run up` starts the api with: DRIFTLINE_ADMIN_KEY when set, else a random one
 * for this run; none with DRIFTLINE_AUTH=off.
 */
export function adminKeyForRun(environment: NodeJS.ProcessEnv): RunKey | null {
  if (environment.DRIFTLINE_AUTH?.trim().toLowerCase() === 'off') return null;
  const given = environment.DRIFTLINE_ADMIN_KEY;
  return given
    ? { key: given, generated: false }
    : { key: randomBytes(32).toString('base64url'), generated: true };
}

/** A read-only key for the dashboard (POST /v1/keys), revoked again with `revoke`. */
export async function createReadKey(
  api: string,
  adminKey: string,
): Promise<{ secret: string; revoke: () => Promise<void> }> {
  const authorization = `Bearer ${adminKey}`;
  const response = await fetch(`${api}/v1/keys`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `npm run up ${new Date().toISOString()} (dashboard)`, scopes: ['read'] }),
  });
  if (response.status !== 201)
    throw new Error(`POST /v1/keys answered ${response.status}: ${await response.text()}`);
  const { keyId, secret } = (await response.json()) as { keyId: string; secret: string };
  const revoke = async () => {
    await fetch(`${api}/v1/keys/${keyId}`, { method: 'DELETE', headers: { authorization } });
  };
  return { secret, revoke };
}
