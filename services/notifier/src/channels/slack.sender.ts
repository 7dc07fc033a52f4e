import type { ChannelRecord, ClaimedNotification } from '@driftline/db';
import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type ChatPostMessageArguments,
} from '@slack/web-api';
import { retryableStatus, type SendResult } from '../delivery.policy';
import type { SlackPayload } from '../notification.renderer';
import { noAnswer, type ChannelSender } from './channel.sender';

/** Slack errors that may pass on a later attempt; any other (bad token, unknown channel, bad blocks) will not. */
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

export interface SlackSenderOptions {
  /** SLACK_API_URL. */
  apiUrl: string;
  /** SLACK_TOKEN: for channels without a token of their own. */
  defaultToken: string | null;
  timeoutMs: number;
}

/**
 * chat.postMessage with Block Kit through @slack/web-api. The client retries nothing itself and
 * rejects rate-limited calls, so the delivery log sees every 429 and its Retry-After.
 */
export class SlackSender implements ChannelSender {
  private readonly clients = new Map<string, WebClient>();

  constructor(private readonly options: SlackSenderOptions) {}

  async send(notification: ClaimedNotification, channel: ChannelRecord): Promise<SendResult> {
    const token = channel.secret ?? this.options.defaultToken;
    if (token === null) {
      return {
        ok: false,
        retryable: false,
        error: 'no Slack token: set SLACK_TOKEN or the channel token',
        httpStatus: null,
        retryAfterMs: null,
      };
    }
    const payload = notification.payload as unknown as SlackPayload;
    const message = {
      channel: payload.channel,
      text: payload.text,
      blocks: payload.blocks,
      metadata: payload.metadata,
      unfurl_links: false,
      unfurl_media: false,
    } as ChatPostMessageArguments;
    try {
      await this.client(token).chat.postMessage(message);
      return { ok: true, httpStatus: 200 };
    } catch (error) {
      return classify(error);
    }
  }

  private client(token: string): WebClient {
    let client = this.clients.get(token);
    if (client === undefined) {
      client = new WebClient(token, {
        slackApiUrl: this.options.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
        timeout: this.options.timeoutMs,
        logLevel: LogLevel.ERROR,
      });
      this.clients.set(token, client);
    }
    return client;
  }
}

function classify(error: unknown): SendResult {
  if (error instanceof WebAPIRateLimitedError) {
    return {
      ok: false,
      retryable: true,
      error: 'ratelimited',
      httpStatus: 429,
      retryAfterMs: error.retryAfter * 1000,
    };
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    return {
      ok: false,
      retryable: TRANSIENT_ERRORS.has(code),
      error: `slack: ${code}`,
      httpStatus: 200,
      retryAfterMs: null,
    };
  }
  if (error instanceof WebAPIHTTPError) {
    return {
      ok: false,
      retryable: retryableStatus(error.statusCode),
      error: `slack: HTTP ${error.statusCode}`,
      httpStatus: error.statusCode,
      retryAfterMs: null,
    };
  }
  const original = (error as { original?: unknown }).original;
  return noAnswer(original ?? error);
}
