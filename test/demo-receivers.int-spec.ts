import { signWebhook } from '@driftline/contracts';
import { WebClient, type ChatPostMessageArguments } from '@slack/web-api';
import { createTransport } from 'nodemailer';
import { demoServiceEnv } from '../scripts/demo-alerts';
import { startDemoReceivers, type DemoReceivers, type ReceiverName } from '../scripts/demo-receivers';
import { renderEmail, renderSlack } from '../services/notifier/src/notification.renderer';
import { AlertFactory } from './factories/alert.factory';
import { RetrainTriggerFactory } from './factories/retrain.factory';

const OPTIONS = { publicUrl: 'http://127.0.0.1:8080', mailFrom: 'Driftline demo <driftline@localhost>' };

describe('the demo receivers (scripts/demo-receivers.ts)', () => {
  let receivers: DemoReceivers | undefined;
  let printed: string[];
  const print = (receiver: ReceiverName, line: string) => printed.push(`[${receiver}] ${line}`);
  const shown = (prefix: string) => printed.filter((line) => line.startsWith(prefix));

  beforeEach(() => {
    printed = [];
  });
  afterEach(async () => {
    await receivers?.close();
    receivers = undefined;
  });

  const alert = AlertFactory.create({
    alertId: 'a-1',
    modelId: 'churn-classifier',
    monitorId: 'churn-classifier-drift-share',
    metric: 'drift_share',
    feature: null,
    value: 0.6,
    threshold: 0.5,
    severity: 'critical',
    summary: 'churn-classifier: drift_share is 0.6, > 0.5, for 2 windows',
    url: 'http://localhost:8080/alerts/a-1',
  });
  const content = {
    notificationId: 'n-1',
    kind: 'firing' as const,
    routeId: 'demo-churn-classifier',
    groupKey: '[["modelId","churn-classifier"]]',
    groupLabels: { modelId: 'churn-classifier' },
    firing: [alert],
    resolved: [],
    createdAt: 0,
  };

  it('prints the Slack message and the email the notifier renders, as the stand-ins receive them', async () => {
    receivers = await startDemoReceivers({}, print);
    const slack = renderSlack(content, '#ml-alerts', OPTIONS);
    const client = new WebClient(receivers.env.SLACK_TOKEN, {
      slackApiUrl: receivers.env.SLACK_API_URL,
      retryConfig: { retries: 0 },
    });
    await client.chat.postMessage({
      channel: slack.channel,
      text: slack.text,
      blocks: slack.blocks,
    } as ChatPostMessageArguments);
    expect(shown('[slack] ')).toEqual([
      expect.stringMatching(/^\[slack\] local Slack Web API stand-in at http:\/\/127\.0\.0\.1:\d+\/api\//),
      '[slack] message to #ml-alerts: [FIRING:1] churn-classifier',
      '[slack]   :red_circle: critical · churn-classifier: drift_share is 0.6, > 0.5, for 2 windows',
      '[slack]   Model churn-classifier · Monitor churn-classifier-drift-share',
      '[slack]   drift_share = 0.6 (threshold 0.5)',
      `[slack]   Window ${alert.windowStart} – ${alert.windowEnd}`,
      '[slack]   View the evidence in Driftline: http://127.0.0.1:8080/alerts/a-1',
      '[slack]   Top drifted features',
      '[slack]   • temp: wasserstein 0.42, threshold 0.1',
    ]);

    const email = renderEmail(content, ['ml-oncall@example.com'], OPTIONS);
    const smtp = new URL(receivers.env.SMTP_URL);
    await createTransport({ host: smtp.hostname, port: Number(smtp.port), ignoreTLS: true }).sendMail(email);
    expect(shown('[email] ')).toEqual([
      expect.stringMatching(/^\[email\] local SMTP capture at smtp:\/\/127\.0\.0\.1:\d+ /),
      '[email] mail to ml-oncall@example.com from Driftline demo <driftline@localhost>: [FIRING:1] churn-classifier',
      '[email]   Firing:',
      '[email]   - [critical] churn-classifier: drift_share is 0.6, > 0.5, for 2 windows',
      '[email]     model churn-classifier, monitor churn-classifier-drift-share',
      '[email]     drift_share = 0.6 (threshold 0.5)',
      `[email]     window ${alert.windowStart} – ${alert.windowEnd}`,
      '[email]     http://127.0.0.1:8080/alerts/a-1',
      '[email]   Top drifted features:',
      '[email]   - temp: wasserstein 0.42, threshold 0.1',
    ]);
  });

  it('accepts a retrain webhook whose signature holds, and rejects a wrong or stale one with 401', async () => {
    receivers = await startDemoReceivers({}, print);
    const { url, secret } = receivers.pipeline;
    const trigger = RetrainTriggerFactory.create({ modelId: 'churn-classifier', reason: 'drift_share 0.6' });
    const body = JSON.stringify(trigger);
    const now = Math.floor(Date.now() / 1000);
    const post = async (signature: string) =>
      (
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-driftline-signature': signature },
          body,
        })
      ).status;

    expect(await post(signWebhook(secret, body, now))).toBe(202);
    expect(await post(signWebhook(`${secret}-not`, body, now))).toBe(401);
    expect(await post(signWebhook(secret, body, now - 301))).toBe(401);
    const verdicts = shown('[webhook] POST ');
    expect(verdicts).toEqual([
      '[webhook] POST /retrain: verified signature: yes',
      '[webhook] POST /retrain: verified signature: no (signature mismatch)',
      '[webhook] POST /retrain: verified signature: no (signature timestamp out of tolerance)',
    ]);
    const first = printed.indexOf(verdicts[0]);
    expect(printed.slice(first + 1, first + 5)).toEqual([
      `[webhook]   triggerId ${trigger.triggerId}`,
      '[webhook]   modelId churn-classifier',
      '[webhook]   reason drift_share 0.6',
      `[webhook]   window ${trigger.windowStart} – ${trigger.windowEnd}`,
    ]);
    expect(printed.join('\n')).not.toContain(secret);
  });

  it('sends to SLACK_API_URL and SMTP_URL when they are set, and says so without the password', async () => {
    const environment = {
      SLACK_API_URL: 'https://slack.example.com/api/',
      SMTP_URL: 'smtp://demo:hunter2@mail.example.com:587',
      ALERT_GROUP_WAIT: '1m',
    };
    receivers = await startDemoReceivers(environment, print);
    expect(receivers.env).toEqual({});
    expect(printed.slice(0, 2)).toEqual([
      '[slack] SLACK_API_URL is set: messages go to https://slack.example.com/api/, not to a local stand-in',
      '[email] SMTP_URL is set: mail goes to smtp://demo:***@mail.example.com:587, not to a local capture',
    ]);
    expect(printed.join('\n')).not.toContain('hunter2');
    // What the environment sets is left alone; the rest gets the demo's values.
    expect(demoServiceEnv(environment, receivers, 'http://127.0.0.1:8080')).toEqual({
      PUBLIC_URL: 'http://127.0.0.1:8080',
      MAIL_FROM: 'Driftline demo <driftline@localhost>',
      ALERT_GROUP_INTERVAL: '30s',
    });
  });
});
