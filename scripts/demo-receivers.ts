import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADER, verifyWebhook, type RetrainTriggerEvent } from '@driftline/contracts';
// The project's own local stand-ins (libs/testing), run by the demo only: no service imports them.
import { startSlackStandIn, type SlackPostedMessage } from '../libs/testing/src/slack.stand-in';
import { startSmtpCapture, type CapturedMail } from '../libs/testing/src/smtp.capture';
import { startWebhookReceiver, type ReceivedRequest } from '../libs/testing/src/webhook.receiver';
import { hidePassword } from './log.formatter';

export type ReceiverName = 'slack' | 'email' | 'webhook';
export type Print = (receiver: ReceiverName, line: string) => void;

export interface DemoReceivers {
  /** SLACK_API_URL, SLACK_TOKEN and SMTP_URL of the stand-ins started (none for a variable already set). */
  env: Record<string, string>;
  /** The local retrain pipeline and the secret it checks signatures with. */
  pipeline: { url: string; secret: string };
  close(): Promise<void>;
}

const MAIL_TEXT_LINES = 10;

/** Slack mrkdwn as a terminal shows it: `<url|label>` as `label: url`, no bold marks, unescaped. */
const plain = (mrkdwn: string) =>
  mrkdwn
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2: $1')
    .replace(/\*/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function blockText(block: unknown): string[] {
  if (typeof block !== 'object' || block === null) return [];
  const { type, text, elements } = block as { type?: string; text?: { text?: string }; elements?: unknown };
  if (type === 'section' && typeof text?.text === 'string') return text.text.split('\n');
  if (type === 'context' && Array.isArray(elements))
    return elements.flatMap((e) =>
      typeof (e as { text?: unknown }).text === 'string' ? [(e as { text: string }).text] : [],
    );
  return [];
}

/** A posted message: its channel and title, then the text of its section and context blocks. */
export function slackLines(message: SlackPostedMessage): string[] {
  const blocks = Array.isArray(message.blocks) ? (message.blocks as unknown[]) : [];
  const header = blocks.find((b) => (b as { type?: string }).type === 'header') as
    { text?: { text?: string } } | undefined;
  const title = header?.text?.text ?? message.text?.split('\n')[0] ?? '';
  const lines = blocks.flatMap(blockText).map((line) => `  ${plain(line)}`);
  return [`message to ${message.channel}: ${title}`, ...lines];
}

/** A mail: its recipients, sender and subject, then the first lines of its text part after the title. */
export function mailLines(mail: CapturedMail): string[] {
  const text = mail.text.split('\n');
  const body = text[0] === mail.subject ? text.slice(1) : text;
  const first = body.findIndex((line) => line.trim() !== '');
  const shown = first < 0 ? [] : body.slice(first, first + MAIL_TEXT_LINES);
  const more = first >= 0 && body.length - first > MAIL_TEXT_LINES ? ['  …'] : [];
  return [
    `mail to ${mail.to.join(', ')} from ${mail.headers.from ?? mail.from}: ${mail.subject}`,
    ...shown.map((line) => `  ${line}`),
    ...more,
  ];
}

/** A retrain webhook: whether its signature holds, then the trigger it carries. */
export function webhookLines(
  request: Pick<ReceivedRequest, 'method' | 'path' | 'text'>,
  check: ReturnType<typeof verifyWebhook>,
): string[] {
  const verdict = check.ok ? 'yes' : `no (${check.reason})`;
  const lines = [`${request.method} ${request.path}: verified signature: ${verdict}`];
  try {
    const trigger = JSON.parse(request.text) as Partial<RetrainTriggerEvent>;
    lines.push(
      `  triggerId ${trigger.triggerId}`,
      `  modelId ${trigger.modelId}`,
      `  reason ${trigger.reason}`,
      `  window ${trigger.windowStart} – ${trigger.windowEnd}`,
    );
  } catch {
    lines.push(`  body is not JSON: ${request.text.slice(0, 200)}`);
  }
  return lines;
}

/**
 * What `npm run demo` tells and retrains through: a local Slack Web API stand-in and an SMTP
 * capture (unless SLACK_API_URL / SMTP_URL say where to send instead), and a retrain pipeline that
 * checks each request's signature and rejects a bad or stale one (over 5 minutes) with 401. Each
 * prints what it received.
 */
export async function startDemoReceivers(
  environment: NodeJS.ProcessEnv,
  print: Print,
): Promise<DemoReceivers> {
  const env: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  const printAll = (receiver: ReceiverName, lines: string[]) =>
    lines.forEach((line) => print(receiver, line));

  if (environment.SLACK_API_URL) {
    print(
      'slack',
      `SLACK_API_URL is set: messages go to ${environment.SLACK_API_URL}, not to a local stand-in`,
    );
  } else {
    const slack = await startSlackStandIn({ onMessage: (message) => printAll('slack', slackLines(message)) });
    closers.push(slack.close);
    env.SLACK_API_URL = slack.apiUrl;
    env.SLACK_TOKEN = slack.token;
    print('slack', `local Slack Web API stand-in at ${slack.apiUrl} (set SLACK_API_URL to use another)`);
  }

  if (environment.SMTP_URL) {
    print(
      'email',
      `SMTP_URL is set: mail goes to ${hidePassword(environment.SMTP_URL)}, not to a local capture`,
    );
  } else {
    const smtp = await startSmtpCapture({ onMail: (mail) => printAll('email', mailLines(mail)) });
    closers.push(smtp.close);
    env.SMTP_URL = `smtp://${smtp.host}:${smtp.port}`;
    print('email', `local SMTP capture at ${env.SMTP_URL} (set SMTP_URL to use another)`);
  }

  const secret = randomBytes(24).toString('base64url');
  const receiver = await startWebhookReceiver({
    respond: (request) => {
      const header = request.headers[SIGNATURE_HEADER.toLowerCase()];
      const check = verifyWebhook(
        secret,
        request.body,
        typeof header === 'string' ? header : undefined,
        Math.floor(Date.now() / 1000),
      );
      printAll('webhook', webhookLines(request, check));
      return check.ok ? 202 : 401;
    },
  });
  closers.push(receiver.close);
  const url = `${receiver.url}/retrain`;
  print(
    'webhook',
    `local retrain pipeline at ${url}: checks ${SIGNATURE_HEADER}, rejects a bad or stale one`,
  );

  return {
    env,
    pipeline: { url, secret },
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}
