import { uniqueName, waitFor } from '@driftline/testing';
import type { SilenceView } from '../../services/api/src/notifications/notification.mapper';
import { AlertFactory } from '../factories/alert.factory';
import { SERVICE_HOOK_TIMEOUT_MS } from '../helpers/driftline.harness';
import { MAIL_FROM, NotifierEnvironment, PUBLIC_URL, verified, type RunningApp } from './notifier.harness';

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };

/**
 * AlertEvents on the real broker to what Slack (a local Web API stand-in), an SMTP server and a
 * webhook receiver got, through the notifier app and Postgres; channels, routes and silences set
 * through the api. Timers are short (group wait and interval 1 s).
 */
describe('notifier: alerts on Kafka to Slack, email and webhooks', () => {
  let env: NotifierEnvironment;
  let notifier: RunningApp;
  let channels: { slack: string; email: string; webhook: string; route: string };

  beforeAll(async () => {
    env = await NotifierEnvironment.create();
    channels = await env.routeToEveryChannel('routed-.*');
    notifier = await env.startNotifier();
  }, SERVICE_HOOK_TIMEOUT_MS);

  afterAll(() => env?.close(), SERVICE_HOOK_TIMEOUT_MS);

  it('groups the alerts of a model that fire within group_wait into one message per channel, then one "Resolved"', async () => {
    const modelId = uniqueName('routed-bikes');
    const alerts = ['temp', 'hum', 'windspeed'].map((feature) =>
      AlertFactory.create({ modelId, feature, summary: `${feature} drifted on ${modelId}` }),
    );
    await env.produce(alerts[0]);
    await env.produce(alerts[1], alerts[2]);

    await waitFor(
      async () => {
        const got = env.received(modelId);
        return got.slack.length === 1 && got.mail.length === 1 && got.hooks.length === 1;
      },
      { ...WAIT, message: 'one Slack message, one email, one webhook' },
    );

    const { slack, mail, hooks } = env.received(modelId);
    // Slack: Block Kit with the evidence and the link below PUBLIC_URL
    expect(slack[0].channel).toBe('#ml-alerts');
    const blocks = JSON.stringify(slack[0].blocks);
    expect((slack[0].blocks as { type: string }[])[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: `[FIRING:3] ${modelId}` },
    });
    for (const a of alerts) {
      expect(blocks).toContain(`*drift_statistic (${a.feature})* = 0.42 (threshold 0.1)`);
      expect(blocks).toContain(`${PUBLIC_URL}/v1/alerts/${a.alertId}`);
    }
    expect(blocks).toContain('*Window* 2024-07-01T00:00:00.000Z – 2024-07-01T01:00:00.000Z');
    expect(blocks).toContain('Top drifted features');
    // email: text and HTML, the notification's Message-ID
    const [slackDelivery] = await env.deliveries(channels.slack);
    const [mailDelivery] = await env.deliveries(channels.email);
    const [hookDelivery] = await env.deliveries(channels.webhook);
    // the notification id travels with each message: Slack metadata, Message-ID, Idempotency-Key
    expect(slack[0].args.metadata).toEqual({
      event_type: 'driftline_notification',
      event_payload: {
        notification_id: slackDelivery.notificationId,
        route_id: channels.route,
        kind: 'firing',
      },
    });
    expect(slack[0].args.unfurl_links).toBe('false'); // a form field
    expect(mail[0]).toMatchObject({ from: 'alerts@driftline.test', to: ['oncall@example.com'] });
    expect(mail[0].headers.from).toBe(MAIL_FROM);
    expect(mail[0].headers['message-id']).toBe(`<${mailDelivery.notificationId}@driftline.test>`);
    expect(mail[0].text).toContain('drift_statistic (hum) = 0.42 (threshold 0.1)');
    expect(mail[0].html).toContain(`<h2>[FIRING:3] ${modelId}</h2>`);
    // webhook: signed, the notification id as Idempotency-Key, every alert
    expect(verified(hooks[0])).toBe(true);
    expect(hooks[0].headers['idempotency-key']).toBe(hookDelivery.notificationId);
    const body = JSON.parse(hooks[0].text) as { status: string; alerts: { alertId: string }[] };
    expect(body.status).toBe('firing');
    expect(body.alerts.map((a) => a.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
    // the delivery log
    for (const delivery of [slackDelivery, mailDelivery, hookDelivery]) {
      expect(delivery).toMatchObject({ status: 'sent', kind: 'firing', title: `[FIRING:3] ${modelId}` });
      expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'sent' })]);
    }

    await env.produce(...alerts.map((a) => AlertFactory.resolved(a)));
    await waitFor(() => env.received(modelId).slack.length === 2, {
      ...WAIT,
      message: 'the "Resolved" message',
    });
    await waitFor(() => env.settled(), { ...WAIT, message: 'the group ended and every delivery finished' });

    const done = env.received(modelId);
    expect(done.slack.map((m) => (m.blocks as { text: { text: string } }[])[0].text.text)).toEqual([
      `[FIRING:3] ${modelId}`,
      `Resolved: ${modelId}`,
    ]);
    expect(done.mail.map((m) => m.subject)).toEqual([`[FIRING:3] ${modelId}`, `Resolved: ${modelId}`]);
    expect(done.hooks.map((h) => (JSON.parse(h.text) as { status: string }).status)).toEqual([
      'firing',
      'resolved',
    ]);
    expect(done.hooks.every(verified)).toBe(true);
  });

  it('honours a Slack 429: one message after Retry-After, the 429 in the delivery log', async () => {
    const modelId = uniqueName('routed-taxis');
    env.slack.rateLimitNext(1, 1);
    await env.produce(AlertFactory.create({ modelId }));

    await waitFor(() => env.received(modelId).slack.length === 1, {
      ...WAIT,
      message: 'the message after the wait',
    });
    await waitFor(
      async () =>
        (await env.deliveries(channels.slack)).find((d) => d.title.includes(modelId))?.status === 'sent',
      WAIT,
    );
    const delivery = (await env.deliveries(channels.slack)).find((d) => d.title.includes(modelId))!;
    expect(delivery.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'retry',
        httpStatus: 429,
        retryAfterMs: 1000,
        error: 'ratelimited',
      }),
      expect.objectContaining({ attempt: 2, outcome: 'sent' }),
    ]);
    const [first, second] = delivery.attempts.map((a) => Date.parse(a.startedAt));
    expect(second - first).toBeGreaterThanOrEqual(1000);
    const limited = env.slack.calls.filter(
      (c) => c.status === 429 && JSON.stringify(c.args).includes(modelId),
    );
    expect(limited).toHaveLength(1);
    expect(env.received(modelId).slack).toHaveLength(1);
  });

  it('sends nothing while a silence holds, and the next notification once it is expired', async () => {
    const modelId = uniqueName('routed-silenced');
    const { body: silence } = await env.call<SilenceView>('/v1/silences', 'POST', {
      matchers: [{ name: 'modelId', op: '=', value: modelId }],
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'oncall@example.com',
      comment: 'retraining',
    });
    await env.produce(AlertFactory.create({ modelId }));

    // the group has been flushed (its next flush moved past the first), and told nobody
    await waitFor(
      async () => {
        const [group] = await env.query<{ flushes: number; notified_at: Date | null }>(
          `SELECT extract(epoch FROM next_flush_at - created_at) AS flushes, notified_at FROM notification_groups
         WHERE group_labels->>'modelId' = $1`,
          [modelId],
        );
        return group !== undefined && Number(group.flushes) >= 2 && group.notified_at === null;
      },
      { ...WAIT, message: 'flushes of the silenced group' },
    );
    expect(env.received(modelId)).toEqual({ slack: [], mail: [], hooks: [] });

    const { body: expired } = await env.call<SilenceView>(`/v1/silences/${silence.silenceId}`, 'DELETE');
    expect(expired.state).toBe('expired');
    await waitFor(
      async () => {
        const got = env.received(modelId);
        return got.slack.length === 1 && got.mail.length === 1 && got.hooks.length === 1;
      },
      { ...WAIT, message: 'the notification after the silence expired' },
    );
  });

  it('mutes the per-feature drift alerts of a model while its dataset_drift alert fires', async () => {
    const modelId = uniqueName('routed-inhibited');
    const dataset = AlertFactory.create({
      modelId,
      monitorId: 'dataset-drift',
      metric: 'dataset_drift',
      feature: null,
      value: 1,
      threshold: 1,
      summary: `the data set of ${modelId} drifted`,
    });
    const perFeature = [
      AlertFactory.create({ modelId, metric: 'drift_statistic', feature: 'temp', summary: 'temp statistic' }),
      AlertFactory.create({ modelId, metric: 'drifted', feature: 'hum', summary: 'hum drifted' }),
      AlertFactory.create({ modelId, metric: 'drift_p_value', feature: 'atemp', summary: 'atemp p-value' }),
    ];
    await env.produce(dataset, ...perFeature);

    await waitFor(
      () => env.received(modelId).hooks.length === 1 && env.received(modelId).slack.length === 1,
      { ...WAIT, message: 'the webhook and the Slack message' },
    );
    const body = JSON.parse(env.received(modelId).hooks[0].text) as {
      title: string;
      alerts: { alertId: string }[];
    };
    expect(body.title).toBe(`[FIRING:1] ${modelId}`);
    expect(body.alerts.map((a) => a.alertId)).toEqual([dataset.alertId]);
    const blocks = JSON.stringify(env.received(modelId).slack[0].blocks);
    expect(blocks).toContain(`the data set of ${modelId} drifted`);
    for (const summary of ['temp statistic', 'hum drifted', 'atemp p-value'])
      expect(blocks).not.toContain(summary);
  });

  it('counts and logs an alert no route matches when ALERT_DEFAULT_CHANNELS is empty', async () => {
    const unrouted = AlertFactory.create({ modelId: uniqueName('lost-model') });
    const before = await unroutedCount(notifier.url);
    await env.produce(unrouted);

    await waitFor(async () => (await unroutedCount(notifier.url)) === before + 1, {
      ...WAIT,
      message: 'the counter',
    });
    const line = notifier.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.alertId === unrouted.alertId);
    expect(line).toMatchObject({
      level: 40,
      modelId: unrouted.modelId,
      msg: 'alert matched no route and ALERT_DEFAULT_CHANNELS is empty: nobody is notified',
    });
    expect(
      await env.query('SELECT * FROM notification_groups WHERE group_labels->>$1 = $2', [
        'modelId',
        unrouted.modelId,
      ]),
    ).toEqual([]);
  });
});

async function unroutedCount(notifierUrl: string): Promise<number> {
  const text = await (await fetch(`${notifierUrl}/metrics`)).text();
  const match = /^driftline_alerts_unrouted_total\{[^}]*\} (\d+)$/m.exec(text);
  return match === null ? 0 : Number(match[1]);
}
