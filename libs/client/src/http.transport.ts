import { parseRetryAfter } from '@driftline/common';
import type { DriftlineEvent, EventKind } from './event.kinds';
import { messageOf, type EventTransport, type SendOutcome } from './send.outcome';

export interface HttpTransportOptions {
  /** The Driftline API, e.g. http://127.0.0.1:8080. */
  url: string;
  /** An API key with the ingest scope, sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** One request's limit; a request that takes longer is retried. */
  requestTimeoutMs: number;
}

const PATHS: Record<EventKind, string> = {
  prediction: '/v1/predictions',
  groundTruth: '/v1/ground-truth',
};

/** The one line an API answer that is not a success becomes: status, code and message of the error shape. */
export function describeHttpError(status: number, text: string): string {
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string } };
    if (typeof error.code === 'string') return `HTTP ${status} ${error.code}: ${error.message}`;
  } catch {
    // not the error shape: the text itself, shortened
  }
  const shown = text.slice(0, 200).replace(/\s+/g, ' ').trim();
  return shown === '' ? `HTTP ${status}` : `HTTP ${status}: ${shown}`;
}

/** Why a fetch did not get an answer: the system's code (ECONNREFUSED) or the timeout. */
export function unreachable(url: string, error: unknown): string {
  if ((error as { name?: string }).name === 'TimeoutError') return `no answer from ${url} in time`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `cannot reach ${url}: ${cause?.code ?? cause?.message ?? messageOf(error)}`;
}

/** Too many requests, a timeout or a server error is worth another try; any other 4xx is not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** POSTs a batch as a JSON array to /v1/predictions or /v1/ground-truth (202 when accepted). */
export class HttpTransport implements EventTransport {
  readonly target: string;

  constructor(private readonly options: HttpTransportOptions) {
    this.target = options.url.replace(/\/+$/, '');
  }

  async send(kind: EventKind, events: readonly DriftlineEvent[]): Promise<SendOutcome> {
    let response: Response;
    try {
      response = await fetch(`${this.target}${PATHS[kind]}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.key ? { authorization: `Bearer ${this.options.key}` } : {}),
        },
        body: JSON.stringify(events),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (error) {
      return { ok: false, retryable: true, retryAfterMs: null, message: unreachable(this.target, error) };
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return { ok: true };
    return {
      ok: false,
      retryable: isRetryableStatus(response.status),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
      status: response.status,
      message: describeHttpError(response.status, text),
    };
  }

  async close(): Promise<void> {}
}
