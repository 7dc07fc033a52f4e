import type { ChannelRecord, ClaimedNotification } from '@driftline/db';
import { createTransport, type Transporter } from 'nodemailer';
import type { SendResult } from '../delivery.policy';
import type { EmailPayload } from '../notification.renderer';
import { noAnswer, type ChannelSender } from './channel.sender';

export interface EmailSenderOptions {
  /** SMTP_URL; null: email channels fail. */
  smtpUrl: string | null;
  timeoutMs: number;
}

/**
 * Mail through nodemailer over SMTP_URL: text and HTML parts and the notification's stable
 * Message-ID, so a resend after a crash is the same message to the receiving side. An SMTP 4xx
 * answer is retried, a 5xx is final.
 */
export class EmailSender implements ChannelSender {
  private transport: Transporter | undefined;

  constructor(private readonly options: EmailSenderOptions) {}

  async send(notification: ClaimedNotification, _channel: ChannelRecord): Promise<SendResult> {
    if (this.options.smtpUrl === null) {
      return {
        ok: false,
        retryable: false,
        error: 'SMTP_URL is not set',
        httpStatus: null,
        retryAfterMs: null,
      };
    }
    const payload = notification.payload as unknown as EmailPayload;
    try {
      await this.connection(this.options.smtpUrl).sendMail({
        from: payload.from,
        to: payload.to,
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        messageId: payload.messageId,
        headers: { 'X-Driftline-Notification-Id': notification.id },
      });
      return { ok: true, httpStatus: null };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (typeof code !== 'number') return noAnswer(error);
      return {
        ok: false,
        retryable: code < 500,
        error: `smtp: ${(error as Error).message}`,
        httpStatus: null,
        retryAfterMs: null,
      };
    }
  }

  close(): void {
    this.transport?.close();
  }

  private connection(url: string): Transporter {
    this.transport ??= createTransport({
      url,
      connectionTimeout: this.options.timeoutMs,
      greetingTimeout: this.options.timeoutMs,
      socketTimeout: this.options.timeoutMs,
    });
    return this.transport;
  }
}
