import { SIGNATURE_HEADER, verifyWebhook, type RetrainTriggerEvent } from '@driftline/contracts';
import {
  startSlackStandIn,
  startSmtpCapture,
  startWebhookReceiver,
  uniqueName,
  waitFor,
  type SlackStandIn,
  type SmtpCapture,
  type WebhookReceiver,
} from '@driftline/testing';
import { Client } from 'pg';
import { postEvents } from '../../scripts/demo-api.client';
import {
  monthRows,
  readBikeCsv,
  referenceCsv,
  walkthroughEvents,
  WALKTHROUGH_SPEC,
} from '../../scripts/demo-walkthrough.rows';
import { E2eStack } from './e2e.stack';

const HOUR = 3_600_000;
const SECRET = 'e2e-pipeline-secret-0123456789';
const PUBLIC_URL = 'https://driftline.example.com';

// Needs `npm run build`: the four services run from dist/, as `npm run up` runs them.
describe('a drifted window, end to end: monitor, notifier and dispatcher (real broker and Postgres)', () => {
  let stack: E2eStack;
  let slack: SlackStandIn;
  let smtp: SmtpCapture;
  let pipeline: WebhookReceiver;

  beforeAll(async () => {
    [slack, smtp, pipeline] = await Promise.all([
      startSlackStandIn(),
      startSmtpCapture(),
      startWebhookReceiver(),
    ]);
    stack = await E2eStack.start({
      services: ['notifier', 'dispatcher'],
      env: {
        SLACK_API_URL: slack.apiUrl,
        SLACK_TOKEN: slack.token,
        SMTP_URL: `smtp://${smtp.host}:${smtp.port}`,
        MAIL_FROM: 'Driftline <alerts@driftline.test>',
        PUBLIC_URL,
        ALERT_GROUP_WAIT: '1s',
        ALERT_GROUP_INTERVAL: '2s',
        NOTIFY_POLL_INTERVAL: '200ms',
        DISPATCH_POLL_INTERVAL: '200ms',
        OUTBOX_RELAY_INTERVAL_MS: '200',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([slack?.close(), smtp?.close(), pipeline?.close()]);
  }, 60_000);

  async function call(path: string, method: string, body: unknown): Promise<void> {
    const response = await stack.fetch(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('gives exactly one grouped Slack message, one email and one verified retrain webhook per episode', async () => {
    const modelId = uniqueName('bikes');
    const rows = readBikeCsv();
    const [january, july] = [monthRows(rows, '2011-01'), monthRows(rows, '2011-07')];
    await call('/v1/models', 'POST', { ...WALKTHROUGH_SPEC, modelId });
    const reference = await stack.fetch(`/v1/models/${modelId}/reference`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: referenceCsv(january),
    });
    expect(reference.status).toBe(201);
    await call('/v1/channels', 'POST', {
      channelId: `${modelId}-slack`,
      type: 'slack',
      slack: { channel: '#ml-alerts' },
    });
    await call('/v1/channels', 'POST', {
      channelId: `${modelId}-mail`,
      type: 'email',
      email: { to: ['oncall@example.com'] },
    });
    await call('/v1/routes', 'POST', {
      routeId: `${modelId}-route`,
      order: 1,
      matchers: [{ name: 'modelId', op: '=', value: modelId }],
      channels: [`${modelId}-slack`, `${modelId}-mail`],
      groupBy: ['modelId'],
    });
    await call('/v1/monitors', 'POST', {
      monitorId: `${modelId}-drift`,
      modelId,
      metric: 'drift_share',
      op: '>',
      threshold: 0.5,
      severity: 'critical',
      retrain: true,
    });
    await call('/v1/pipelines', 'POST', {
      pipelineId: `${modelId}-retrain`,
      url: `${pipeline.url}/retrain`,
      secret: SECRET,
      matchers: [{ name: 'modelId', op: '=', value: modelId }],
      cooldown: '6h',
    });

    // an hour of January rows (the reference itself: no drift), then two hours of July rows
    const start = new Date(Date.UTC(2026, 5, 1, 0, 0, 0));
    const calm = walkthroughEvents(modelId, january, start);
    const drifted = walkthroughEvents(`${modelId}`, july, new Date(start.getTime() + HOUR));
    // the same July rows an hour later, as new events (the same eventIds would be duplicates)
    const later = walkthroughEvents(modelId, july, new Date(start.getTime() + 2 * HOUR));
    const renamed = <E extends { eventId: string; predictionId: string }>(e: E, tag: string): E => ({
      ...e,
      eventId: `${e.eventId}-${tag}`,
      predictionId: `${e.predictionId}-${tag}`,
    });
    const again = {
      inWindow: later.inWindow.map((e) => renamed(e, 'h3')),
      closing: renamed(later.closing, 'close'),
    };
    for (const events of [calm.inWindow, drifted.inWindow, again.inWindow]) {
      for (let i = 0; i < events.length; i += 500)
        await postEvents(stack.api, 'predictions', events.slice(i, i + 500), stack.adminKey);
    }
    await postEvents(
      stack.api,
      'predictions',
      [
        {
          ...again.closing,
          eventId: `${again.closing.eventId}-close`,
          predictionId: `${again.closing.predictionId}-close`,
        },
      ],
      stack.adminKey,
    );

    // three windows judged: calm, drifted (fires), drifted again (still firing: no new message)
    await waitFor(
      async () => (await query(`SELECT 1 FROM window_results WHERE model_id = $1`, [modelId])).length === 3,
      { timeoutMs: 120_000, intervalMs: 500, message: 'three windows evaluated' },
    );
    const hook = await waitFor(() => pipeline.requests.find((r) => r.path === '/retrain'), {
      timeoutMs: 60_000,
      message: 'the retrain webhook',
    });
    const sent = async (channelId: string) => {
      const response = await stack.fetch(`/v1/deliveries?channelId=${channelId}`);
      const { deliveries } = (await response.json()) as { deliveries: { status: string }[] };
      return deliveries.filter((d) => d.status === 'sent').length;
    };
    await waitFor(
      async () => (await sent(`${modelId}-slack`)) === 1 && (await sent(`${modelId}-mail`)) === 1,
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        message: 'both notifications sent',
      },
    );

    const alerts = await query<{ id: string; status: string; starts_at: Date }>(
      `SELECT id, status, starts_at FROM alerts WHERE model_id = $1`,
      [modelId],
    );
    expect(alerts.map((a) => [a.status, a.starts_at.toISOString()])).toEqual([
      ['firing', new Date(start.getTime() + 2 * HOUR).toISOString()],
    ]);

    const [message] = slack.messages;
    expect(slack.messages).toHaveLength(1);
    expect(message.channel).toBe('#ml-alerts');
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain(modelId);
    expect(blocks).toContain('drift_share');
    expect(blocks).toContain('temp');
    expect(blocks).toContain(`${PUBLIC_URL}/alerts/${alerts[0].id}`);

    const mails = smtp.messages.filter((m) => m.to.includes('oncall@example.com'));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain(modelId);
    expect(mails[0].text).toContain('drift_share');
    expect(mails[0].html).toContain(`${PUBLIC_URL}/alerts/${alerts[0].id}`);

    expect(pipeline.requests.filter((r) => r.path === '/retrain')).toHaveLength(1);
    const header = hook.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(verifyWebhook(SECRET, hook.body, header, Math.floor(Date.now() / 1000))).toEqual({ ok: true });
    const trigger = JSON.parse(hook.text) as RetrainTriggerEvent;
    expect(trigger).toMatchObject({ modelId, alertIds: [alerts[0].id] });
    expect(hook.headers['idempotency-key']).toBe(trigger.triggerId);
  }, 300_000);
});
