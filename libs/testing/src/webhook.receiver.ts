import type { IncomingHttpHeaders } from 'node:http';
import { listenLocal, readBody } from './http.server';

export interface ReceivedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** Lower-cased names, as Node gives them. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as UTF-8. */
  text: string;
  /** The status code this request was answered with. */
  status: number;
}

export type ScriptedResponse =
  number | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

export interface WebhookReceiverOptions {
  /** Answers for the first requests, in order; after them every request gets `respond`'s answer or `defaultStatus`. */
  responses?: ScriptedResponse[];
  defaultStatus?: number;
  /** Answers each request the script leaves unanswered, from what was received (e.g. 401 for a bad signature). */
  respond?: (request: Omit<ReceivedRequest, 'status'>) => ScriptedResponse;
}

export interface WebhookReceiver {
  /** Base URL, e.g. `http://127.0.0.1:40123`; any path is accepted. */
  url: string;
  requests: ReceivedRequest[];
  /** Appends answers to the script. */
  respondWith(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

/** An HTTP server that records every request (method, headers, raw body) and answers from a script. */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const script: ScriptedResponse[] = [...(options.responses ?? [])];
  const requests: ReceivedRequest[] = [];
  const listener = await listenLocal(async (request, response) => {
    const body = await readBody(request);
    const received = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body,
      text: body.toString('utf8'),
    };
    const next = script.shift() ?? options.respond?.(received) ?? options.defaultStatus ?? 200;
    const answer = typeof next === 'number' ? { status: next } : next;
    requests.push({ ...received, status: answer.status });
    if (answer.delayMs) await new Promise((done) => setTimeout(done, answer.delayMs));
    const payload = answer.body ?? JSON.stringify({ received: true });
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(payload);
  });
  return {
    url: listener.url,
    requests,
    respondWith: (...responses) => script.push(...responses),
    close: listener.close,
  };
}
