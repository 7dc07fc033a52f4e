import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName, waitFor } from '@driftline/testing';
import { freePort } from '../../infra/net/free-port';
import { REPO_ROOT, runBuilt, type Child } from '../e2e/e2e.stack';
import { AlertFactory } from '../factories/alert.factory';
import { SERVICE_HOOK_TIMEOUT_MS } from '../helpers/driftline.harness';
import { NotifierEnvironment, verified } from './notifier.harness';

const NOTIFIER_MAIN = 'services/notifier/src/main.js';
const SEND_TIMEOUT_MS = 3_000;
const WAIT = { timeoutMs: 60_000, intervalMs: 50 };

/**
 * The built notifier as a process, SIGKILLed (1) after it recorded alerts and before their group's
 * first flush, (2) after a webhook was sent and before it was marked sent. After each restart every
 * receiver has the notification exactly once: the webhook twice with one Idempotency-Key, for the
 * receiver to drop the second.
 */
describe('notifier process killed with SIGKILL', () => {
  let env: NotifierEnvironment;
  let channels: { slack: string; email: string; webhook: string; route: string };
  let processEnv: NodeJS.ProcessEnv;
  const children: Child[] = [];

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist', NOTIFIER_MAIN)))
      throw new Error(`dist/${NOTIFIER_MAIN} is missing: run npm run build first`);
    env = await NotifierEnvironment.create();
    channels = await env.routeToEveryChannel('crash-.*');
    processEnv = env.env({
      NOTIFIER_PORT: String(await freePort()),
      // long enough to kill the process between recording the alerts and the first flush
      ALERT_GROUP_WAIT: '4s',
      NOTIFY_SEND_TIMEOUT: `${SEND_TIMEOUT_MS}ms`,
    });
  }, SERVICE_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    for (const child of children) await stop(child, 'SIGTERM');
    await env?.close();
  }, SERVICE_HOOK_TIMEOUT_MS);

  const start = (): Child => {
    const child = runBuilt(NOTIFIER_MAIN, [], processEnv);
    children.push(child);
    return child;
  };
  const deliveriesOf = async (modelId: string) =>
    (
      await Promise.all([channels.slack, channels.email, channels.webhook].map((c) => env.deliveries(c)))
    ).flatMap((list) => list.filter((d) => d.title.includes(modelId)));

  it('loses nothing and sends nothing twice when killed between receiving alerts and sending', async () => {
    const modelId = uniqueName('crash-a');
    const alerts = [AlertFactory.create({ modelId }), AlertFactory.create({ modelId, feature: 'hum' })];
    const first = start();
    await env.produce(...alerts);
    await waitFor(
      async () =>
        (await env.query('SELECT 1 FROM notifier_alerts WHERE model_id = $1', [modelId])).length === 2,
      { ...WAIT, message: `the alerts recorded\n${first.output()}` },
    );
    await stop(first, 'SIGKILL');
    // killed before the group's first flush: nothing recorded for sending, nothing sent
    expect(await env.query('SELECT 1 FROM notifications')).toEqual([]);
    expect(env.received(modelId)).toEqual({ slack: [], mail: [], hooks: [] });

    const second = start();
    await waitFor(async () => (await deliveriesOf(modelId)).filter((d) => d.status === 'sent').length === 3, {
      ...WAIT,
      message: `every channel told\n${second.output()}`,
    });
    const got = env.received(modelId);
    expect([got.slack.length, got.mail.length, got.hooks.length]).toEqual([1, 1, 1]);
    expect(got.mail[0].subject).toBe(`[FIRING:2] ${modelId}`);
    const body = JSON.parse(got.hooks[0].text) as { alerts: { alertId: string }[] };
    expect(body.alerts.map((a) => a.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
  });

  it('re-sends once, with the same Idempotency-Key, a webhook sent but not marked before the kill', async () => {
    const modelId = uniqueName('crash-b');
    // the first webhook is held past the kill; the resend is answered at once
    env.hook.respondWith({ status: 200, delayMs: SEND_TIMEOUT_MS + 7_000 });
    const running = children.at(-1)!;
    await env.produce(AlertFactory.create({ modelId }));
    await waitFor(
      async () => {
        const sent = (await deliveriesOf(modelId)).filter((d) => d.status === 'sent');
        return env.received(modelId).hooks.length === 1 && sent.length === 2;
      },
      { ...WAIT, message: `Slack and email marked sent, the webhook in flight\n${running.output()}` },
    );
    await stop(running, 'SIGKILL');

    const restarted = start();
    await waitFor(async () => (await deliveriesOf(modelId)).filter((d) => d.status === 'sent').length === 3, {
      ...WAIT,
      message: `the webhook re-sent and marked\n${restarted.output()}`,
    });
    const got = env.received(modelId);
    expect([got.slack.length, got.mail.length]).toEqual([1, 1]);
    expect(got.hooks).toHaveLength(2);
    const [sent, resent] = got.hooks;
    expect(resent.headers['idempotency-key']).toBe(sent.headers['idempotency-key']);
    expect(resent.text).toBe(sent.text);
    expect(got.hooks.every(verified)).toBe(true);
    const hook = (await env.deliveries(channels.webhook)).find((d) => d.title.includes(modelId))!;
    expect(hook.notificationId).toBe(sent.headers['idempotency-key']);
    expect(hook.attempts.map((a) => a.outcome)).toEqual(['interrupted', 'sent']);
  });
});

async function stop(child: Child, signal: NodeJS.Signals): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill(signal);
  await child.exited;
}
