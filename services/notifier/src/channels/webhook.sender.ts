import { SIGNATURE_HEADER, signWebhook } from '@driftline/contracts';
import type { ChannelRecord, ClaimedNotification } from '@driftline/db';
import { type Clock, parseRetryAfter } from '@driftline/common';
import { retryableStatus, type SendResult } from '../delivery.policy';
import type { WebhookPayload } from '../notification.renderer';
import { noAnswer, type ChannelSender } from './channel.sender';

/**
 * POSTs the notification's JSON body with `Idempotency-Key: <notification id>` and, when the
 * channel has a secret, `X-Driftline-Signature` over the exact body. Redirects are not followed.
 */
export class WebhookSender implements ChannelSender {
  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  async send(notification: ClaimedNotification, channel: ChannelRecord): Promise<SendResult> {
    const payload = notification.payload as unknown as WebhookPayload;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': notification.id,
      'user-agent': 'Driftline-Notifier/1',
    };
    if (channel.secret !== null) {
      headers[SIGNATURE_HEADER] = signWebhook(
        channel.secret,
        payload.body,
        Math.floor(this.clock.now() / 1000),
      );
    }
    try {
      const response = await fetch(payload.url, {
        method: 'POST',
        headers,
        body: payload.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text().catch(() => '');
      if (response.status >= 200 && response.status < 300) return { ok: true, httpStatus: response.status };
      return {
        ok: false,
        retryable: retryableStatus(response.status),
        error: `HTTP ${response.status}${text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`}`,
        httpStatus: response.status,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), this.clock.now()),
      };
    } catch (error) {
      return noAnswer(error);
    }
  }
}
