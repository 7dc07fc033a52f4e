import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header every Driftline webhook carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'X-Driftline-Signature';
/** A receiver should reject a signature older than this (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/** The header value for `body` signed with `secret` at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * What a receiver does with the header: parse it, recompute the HMAC over the raw body, compare in
 * constant time, and refuse a timestamp further than `toleranceSeconds` from `now` (unix seconds).
 */
export function verifyWebhook(
  secret: string,
  body: string | Buffer,
  header: string | undefined,
  now: number,
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (header === undefined) return { ok: false, reason: 'no signature header' };
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || v1 === undefined || !/^[0-9a-f]{64}$/.test(v1)) {
    return { ok: false, reason: 'malformed signature header' };
  }
  if (Math.abs(now - t) > toleranceSeconds)
    return { ok: false, reason: 'signature timestamp out of tolerance' };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
