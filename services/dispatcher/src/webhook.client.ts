import type { SendOutcome } from './delivery.rules';

/** Posts one webhook request; never throws: no answer is an outcome too. */
export interface WebhookClient {
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<SendOutcome>;
}

export const WEBHOOK_CLIENT = Symbol('WEBHOOK_CLIENT');

/** The answer's body is kept only this far, for the delivery log. */
const BODY_KEPT = 1000;

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer within the send timeout';
  // undici reports "fetch failed" and puts the reason (ECONNREFUSED, a TLS error, ...) in cause
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return `${error.message}: ${code === undefined ? cause.message : `${code} ${cause.message}`}`;
  }
  return error.message;
}

/** Node's fetch: redirects are not followed (a signed body goes where it was registered to, or fails). */
export const fetchWebhookClient: WebhookClient = {
  async post(url, headers, body, timeoutMs) {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal });
      const text = await response.text().catch(() => '');
      return {
        kind: 'response',
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: text.slice(0, BODY_KEPT),
      };
    } catch (error) {
      return { kind: 'error', message: describeError(error) };
    }
  },
};
