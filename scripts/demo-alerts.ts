import { upsert } from './demo-api.client';
import type { DemoReceivers } from './demo-receivers';
import { DRIFTING_MODEL_ID, modelWithReference } from './demo.scenario';

type Collection = Parameters<typeof upsert>[1];

export const DEMO_SLACK_CHANNEL = '#ml-alerts';
export const DEMO_MAIL_TO = ['ml-oncall@example.com'];

/**
 * Left to the environment when it sets them. Timers short enough to watch: a new group is told 5 s
 * after its first alert, changes to it (a resolution) 30 s apart.
 */
const DEMO_DEFAULTS = {
  MAIL_FROM: 'Driftline demo <driftline@localhost>',
  ALERT_GROUP_WAIT: '5s',
  ALERT_GROUP_INTERVAL: '30s',
};

/** What the demo adds to the services' environment: the receivers', links to the api, the timers. */
export function demoServiceEnv(
  environment: NodeJS.ProcessEnv,
  receivers: DemoReceivers,
  apiUrl: string,
): Record<string, string> {
  const defaults: Record<string, string> = { PUBLIC_URL: apiUrl, ...DEMO_DEFAULTS };
  const unset = Object.entries(defaults).filter(([name]) => environment[name] === undefined);
  return { ...Object.fromEntries(unset), ...receivers.env };
}

/**
 * Tells Slack and email when `modelId` drifts and retrains it: two channels, a route of the model's
 * alerts to both, the retrain pipeline, and a monitor on its drift share. On the demo's data an
 * undrifted window with 30 s of events or more has a drift share of 0 to 0.2, and a drifted one 0.6
 * (age, plan and tenure of its five features): `> 0.5` for 2 windows fires once the drift is in,
 * and not on the first window, which may hold only a few events. Each is created, or replaced when
 * an earlier run left it (the pipeline then gets this run's URL and secret), with `key` (default
 * DRIFTLINE_API_KEY). Returns what it did.
 */
export async function setUpDemoAlerts(
  api: string,
  modelId: string,
  pipeline: DemoReceivers['pipeline'],
  key?: string,
): Promise<string[]> {
  const slack = { channelId: 'demo-slack', type: 'slack', slack: { channel: DEMO_SLACK_CHANNEL } };
  const email = { channelId: 'demo-email', type: 'email', email: { to: DEMO_MAIL_TO } };
  const ofModel = [{ name: 'modelId', op: '=', value: modelId }];
  const route = {
    routeId: `demo-${modelId}`,
    order: 100,
    matchers: ofModel,
    channels: [slack.channelId, email.channelId],
    groupBy: ['modelId'],
  };
  // No cooldown: the monitor triggers once per episode, and a demo run again soon has one again.
  const retrain = { pipelineId: 'demo-retrain', ...pipeline, matchers: ofModel, cooldown: '0s' };
  const monitor = {
    monitorId: `${modelId}-drift-share`,
    modelId,
    metric: 'drift_share',
    op: '>',
    threshold: 0.5,
    for: 2,
    resolveAfter: 2,
    severity: 'critical',
    retrain: true,
  };
  const done: string[] = [];
  const put = async (collection: Collection, id: string, body: unknown, what: string) => {
    const outcome = await upsert(api, collection, id, body, key);
    done.push(`${collection.replace(/s$/, '')} ${id} ${outcome}: ${what}`);
  };
  await put('channels', slack.channelId, slack, `Slack ${DEMO_SLACK_CHANNEL}`);
  await put('channels', email.channelId, email, `email to ${DEMO_MAIL_TO.join(', ')}`);
  await put('routes', route.routeId, route, `alerts of ${modelId} to ${route.channels.join(' and ')}`);
  await put('pipelines', retrain.pipelineId, retrain, `POST ${pipeline.url}, signed`);
  const rule = `drift_share > ${monitor.threshold} for ${monitor.for} windows, ${monitor.severity}, retrain`;
  await put('monitors', monitor.monitorId, monitor, rule);
  return done;
}

/**
 * Watches the producer's lines: once it says the drifting model is registered with its reference,
 * sets the alerts up (once) and prints what it did, or why it failed.
 */
export function alertsOnceReady(
  api: string,
  pipeline: DemoReceivers['pipeline'],
  print: (line: string) => void,
  key?: string,
): (line: string) => void {
  let started = false;
  return (line) => {
    if (started || modelWithReference(line) !== DRIFTING_MODEL_ID) return;
    started = true;
    setUpDemoAlerts(api, DRIFTING_MODEL_ID, pipeline, key).then(
      (done) => done.forEach(print),
      (error: unknown) => print(`setting up the demo's alerts failed: ${(error as Error).message}`),
    );
  };
}
