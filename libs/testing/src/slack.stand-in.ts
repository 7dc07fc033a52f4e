import type { ServerResponse } from 'node:http';
import { listenLocal, readBody } from './http.server';

export interface SlackCall {
  /** Web API method, e.g. `chat.postMessage`. */
  method: string;
  /** The bearer token sent (or the form's `token` field). */
  token: string | undefined;
  contentType: string;
  /** Form or JSON arguments; form values holding JSON (blocks, attachments, metadata) are parsed. */
  args: Record<string, unknown>;
  /** What the stand-in answered. */
  status: number;
  response: Record<string, unknown>;
}

export interface SlackPostedMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown;
  threadTs: string | undefined;
  args: Record<string, unknown>;
}

export interface SlackStandInOptions {
  /** The only token accepted; default `xoxb-driftline-test`. */
  token?: string;
  /** Called with each message posted, once it is recorded. */
  onMessage?: (message: SlackPostedMessage) => void;
}

export interface SlackStandIn {
  /** Pass as WebClient's `slackApiUrl` (ends with `/api/`). */
  apiUrl: string;
  token: string;
  /** Every Web API call, answered or failed. */
  calls: SlackCall[];
  /** chat.postMessage calls that succeeded. */
  messages: SlackPostedMessage[];
  /** The next `count` chat.postMessage calls answer HTTP 200 `{ ok: false, error }`. */
  failNext(count: number, error?: string): void;
  /** The next `count` chat.postMessage calls answer HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

type Failure = { kind: 'error'; error: string } | { kind: 'ratelimited'; retryAfterSeconds: number };

/**
 * A local stand-in for the Slack Web API as @slack/web-api calls it: POST /api/<method> with a
 * bearer token and a form (or JSON) body. Implements chat.postMessage and auth.test; other methods
 * answer `unknown_method` as Slack does.
 */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const token = options.token ?? 'xoxb-driftline-test';
  const calls: SlackCall[] = [];
  const messages: SlackPostedMessage[] = [];
  const failures: Failure[] = [];
  let sequence = 0;

  const listener = await listenLocal(async (request, response) => {
    const raw = (await readBody(request)).toString('utf8');
    const contentType = String(request.headers['content-type'] ?? '');
    const args = parseArgs(raw, contentType);
    const method = (request.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const sentToken = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    const call: SlackCall = { method, token: sentToken, contentType, args, status: 200, response: {} };
    calls.push(call);
    const answer = (
      status: number,
      body: Record<string, unknown>,
      headers: Record<string, string> = {},
    ): void => {
      call.status = status;
      call.response = body;
      send(response, status, body, headers);
    };

    if (request.method !== 'POST' || !request.url?.startsWith('/api/'))
      return answer(404, { ok: false, error: 'unknown_method' });
    if (!sentToken) return answer(200, { ok: false, error: 'not_authed' });
    if (sentToken !== token) return answer(200, { ok: false, error: 'invalid_auth' });
    if (method === 'auth.test') {
      return answer(200, {
        ok: true,
        url: 'https://driftline-test.slack.com/',
        team: 'Driftline Test',
        user: 'driftline',
        team_id: 'T0000TEST',
        user_id: 'U0000TEST',
        bot_id: 'B0000TEST',
      });
    }
    if (method !== 'chat.postMessage') return answer(200, { ok: false, error: 'unknown_method' });

    const failure = failures.shift();
    if (failure?.kind === 'ratelimited') {
      return answer(
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(failure.retryAfterSeconds) },
      );
    }
    if (failure) return answer(200, { ok: false, error: failure.error });
    const channel = typeof args.channel === 'string' ? args.channel : '';
    if (!channel) return answer(200, { ok: false, error: 'channel_not_found' });
    const text = typeof args.text === 'string' ? args.text : undefined;
    if (text === undefined && args.blocks === undefined && args.attachments === undefined) {
      return answer(200, { ok: false, error: 'no_text' });
    }
    sequence += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    const message = { channel, ts, text, blocks: args.blocks, threadTs, args };
    messages.push(message);
    options.onMessage?.(message);
    return answer(200, {
      ok: true,
      channel,
      ts,
      message: { type: 'message', text: text ?? '', ts, blocks: args.blocks },
    });
  });

  return {
    apiUrl: `${listener.url}/api/`,
    token,
    calls,
    messages,
    failNext: (count, error = 'internal_error') => {
      for (let i = 0; i < count; i++) failures.push({ kind: 'error', error });
    },
    rateLimitNext: (count, retryAfterSeconds = 1) => {
      for (let i = 0; i < count; i++) failures.push({ kind: 'ratelimited', retryAfterSeconds });
    },
    close: listener.close,
  };
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw || '{}');
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) args[key] = parseJsonValue(value);
  return args;
}

/** @slack/web-api sends arrays and objects (blocks, attachments, metadata) as JSON strings in the form. */
function parseJsonValue(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string>,
): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}
