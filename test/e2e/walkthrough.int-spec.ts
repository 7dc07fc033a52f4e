import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import {
  bikeSharingCsv,
  createIsolatedDatabase,
  TEST_ADMIN_KEY,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { freePort } from '../../infra/net/free-port';
import { DEMO_MAIL_TO, DEMO_SLACK_CHANNEL } from '../../scripts/demo-alerts';
import { DEMO_MODEL_SPECS, DRIFTING_MODEL_ID } from '../../scripts/demo.scenario';
import { WALKTHROUGH_SPEC } from '../../scripts/demo-walkthrough.rows';
import { ARRIVALS_QUERY } from '../../scripts/local-state';
import { E2eStack, REPO_ROOT, runBuilt, runBuiltToEnd, type Child } from './e2e.stack';
import { readmeQueries } from './readme.queries';

interface ColumnResult {
  column: string;
  method: string;
  statistic: number;
  drifted: boolean;
}

interface WindowBody {
  windowStart: string;
  windowEnd: string;
  eventCount: number;
  drift: {
    columns: ColumnResult[];
    driftShare: number;
    datasetDrift: boolean;
    multivariate?: unknown;
  };
  estimated?: unknown;
}

const EVENTS_SCRIPT = 'scripts/demo-walkthrough-events.js';
const DEMO_MODELS = DEMO_MODEL_SPECS.map((spec) => spec.modelId);
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const collapse = (sql: string) => sql.replace(/\s+/g, ' ').trim();

async function queryRows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** The README's psql queries, in order: what arrived, then the evaluated windows. */
function quickStartQueries(): { arrivals: string; windows: string } {
  const queries = readmeQueries(README);
  expect(queries.map((q) => q.connection)).toEqual([
    '-h 127.0.0.1 -U postgres -d driftline',
    '-h 127.0.0.1 -U postgres -d driftline',
  ]);
  const [arrivals, windows] = queries.map((q) => q.sql);
  // `npm run up` prints the same query.
  expect(collapse(arrivals)).toBe(collapse(ARRIVALS_QUERY));
  return { arrivals, windows };
}

const withKey = (key: string): RequestInit => ({ headers: { authorization: `Bearer ${key}` } });

async function latestWindow(api: string, modelId: string): Promise<WindowBody | null> {
  const response = await fetch(`${api}/v1/models/${modelId}/windows/latest`, withKey(TEST_ADMIN_KEY));
  if (response.status === 404) return null;
  if (response.status !== 200) throw new Error(`windows/latest answered ${response.status}`);
  return (await response.json()) as WindowBody;
}

async function windowsOf(api: string, modelId: string): Promise<WindowBody[]> {
  const response = await fetch(`${api}/v1/models/${modelId}/windows`, withKey(TEST_ADMIN_KEY));
  if (response.status !== 200) throw new Error(`windows answered ${response.status}`);
  return ((await response.json()) as { windows: WindowBody[] }).windows;
}

/** A column of the CSV's rows whose day starts with `month`, read here without the scripts' code. */
function monthColumn(csv: string, month: string, column: string): string[] {
  const records = parse(readFileSync(csv), { columns: true }) as Record<string, string>[];
  return records.filter((r) => r.dteday.startsWith(month)).map((r) => r[column]);
}

function countMonth(csv: string, month: string): number {
  return monthColumn(csv, month, 'dteday').length;
}

/** The two-sample Kolmogorov-Smirnov statistic sup |F_a - F_b| (scipy.stats.ks_2samp's D), by brute force. */
function ksStatistic(a: number[], b: number[]): number {
  const ecdf = (values: number[], x: number) => values.filter((v) => v <= x).length / values.length;
  return Math.max(...[...a, ...b].map((x) => Math.abs(ecdf(a, x) - ecdf(b, x))));
}

// Needs `npm run build`: the services and the scripts run from dist/, as the walkthrough runs them.
describe('the README walkthrough against the built api and monitor', () => {
  let stack: E2eStack;
  const csv = bikeSharingCsv();

  beforeAll(async () => {
    stack = await E2eStack.start();
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('creates a model, uploads January as the reference, posts July and reads a drifted window', async () => {
    const api = stack.api;
    const created = await stack.fetch(`/v1/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(WALKTHROUGH_SPEC),
    });
    expect(created.status).toBe(201);

    const reference = await runBuiltToEnd(EVENTS_SCRIPT, ['reference', '--data', csv]);
    const uploaded = await stack.fetch(`/v1/models/bike-walkthrough/reference`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: reference,
    });
    expect(uploaded.status).toBe(201);
    expect(((await uploaded.json()) as { rows: number }).rows).toBe(countMonth(csv, '2011-01-'));

    const posted = await runBuiltToEnd(EVENTS_SCRIPT, ['events', '--data', csv, '--api', api], {
      DRIFTLINE_API_KEY: stack.adminKey,
    });
    const julyRows = countMonth(csv, '2011-07-');
    expect(posted).toContain(`posted ${julyRows} predictions`);

    const window = await waitFor(() => latestWindow(api, 'bike-walkthrough'), {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'a window of bike-walkthrough',
    });
    expect(window.windowStart).toBe('2011-07-01T00:00:00.000Z');
    expect(window.windowEnd).toBe('2011-07-01T01:00:00.000Z');
    expect(window.eventCount).toBe(julyRows);
    const columns = window.drift.columns;
    expect(columns.map((c) => c.column).sort()).toEqual(Object.keys(WALKTHROUGH_SPEC.features ?? {}).sort());
    // January averages 0.2 of the temperature scale, July 0.75: no method misses that.
    expect(columns.find((c) => c.column === 'temp')?.drifted).toBe(true);
    // Under 128 distinct values per column the monitor's KS is exact: D equals the brute-force one.
    for (const feature of ['hr', 'temp', 'hum', 'windspeed']) {
      const [january, july] = ['2011-01-', '2011-07-'].map((m) => monthColumn(csv, m, feature).map(Number));
      const column = columns.find((c) => c.column === feature);
      expect({ feature, method: column?.method }).toEqual({ feature, method: 'ks' });
      expect(column?.statistic).toBeCloseTo(ksStatistic(january, july), 9);
    }
    const share = columns.filter((c) => c.drifted).length / columns.length;
    expect(window.drift.driftShare).toBeCloseTo(share, 12);
    expect(window.drift.datasetDrift).toBe(share >= 0.5);

    const series = await stack.fetch(`/v1/models/bike-walkthrough/metrics?metric=drift_share`);
    expect(series.status).toBe(200);
    expect(((await series.json()) as { points: unknown[] }).points).toContainEqual({
      windowStart: window.windowStart,
      windowEnd: window.windowEnd,
      value: window.drift.driftShare,
    });
  }, 120_000);

  it('docs/walkthrough.md and the README register this spec and run these commands on data/', () => {
    expect(csv).toBe(join(REPO_ROOT, 'data/bike-sharing-hour.csv'));
    const doc = readFileSync(join(REPO_ROOT, 'docs/walkthrough.md'), 'utf8');
    expect(doc).toContain(JSON.stringify(WALKTHROUGH_SPEC, null, 2));
    expect(doc).toContain('export BIKE_CSV=data/bike-sharing-hour.csv ');
    expect(README).toContain('BIKE_CSV=data/bike-sharing-hour.csv ');
    for (const text of [doc, README]) {
      expect(text).toContain(`node dist/${EVENTS_SCRIPT} reference --data "$BIKE_CSV" > reference.csv`);
      expect(text).toContain(`node dist/${EVENTS_SCRIPT} events --data "$BIKE_CSV" --api "$API"`);
    }
  });

  it('the demo producer registers its models on the bike rows and the churn classifier drifts', async () => {
    // No --data: the demo draws from the repository's copy of the bike data.
    const demo = runBuilt(
      'scripts/demo-producer.js',
      ['--api', stack.api, '--duration', '20', '--drift-after', '0', '--rate', '50', '--label-delay', '5'],
      { DRIFTLINE_API_KEY: stack.adminKey },
    );
    const [code] = (await demo.exited) as [number | null];
    expect({ code, output: demo.output() }).toEqual({ code: 0, output: expect.stringContaining('done') });
    expect(demo.output()).toContain(
      `curl -s -H "Authorization: Bearer $DRIFTLINE_API_KEY" ${stack.api}/v1/models/churn-classifier/windows/latest`,
    );
    expect(demo.output()).not.toContain(stack.adminKey);
    const bikeRows = (parse(readFileSync(csv), { columns: true }) as unknown[]).length;
    expect(demo.output()).toContain(`(${bikeRows} bike rows of ${csv})`);

    const sent = /demo: done, (\d+) predictions, (\d+) labels sent/.exec(demo.output());
    const perModel = Number(sent?.[1]) / 2;
    const labelsPerModel = Number(sent?.[2]) / 2;
    expect(perModel).toBeGreaterThanOrEqual(20 * 50);
    // Each prediction's label is sent before the demo ends.
    expect(labelsPerModel).toBe(perModel);

    // No event after the 20 s: the windows holding all of them close on the idle timeout (30 s
    // past their end plus the lateness); earlier windows may have closed on the watermark with part.
    const whole = async (modelId: string) =>
      waitFor(() => windowsOf(stack.api, modelId).then((ws) => ws.find((w) => w.eventCount === perModel)), {
        timeoutMs: 120_000,
        intervalMs: 1000,
        message: `a window of ${modelId} holding all ${perModel} predictions`,
      });
    const churn = await whole('churn-classifier');
    expect(churn.drift.datasetDrift).toBe(true);
    expect(churn.drift.columns.find((c) => c.column === 'age')?.drifted).toBe(true);
    // The reference carried score and target, so the CBPE estimate and the PCA band were fitted.
    expect(churn.estimated).toBeDefined();
    expect(churn.drift.multivariate).toBeDefined();

    const bike = await whole('bike-demand');
    expect(bike.drift.datasetDrift).toBe(false);

    await checkReadmeQueries(stack, perModel);

    // A second run finds the models registered and updates them.
    const again = await runBuiltToEnd(
      'scripts/demo-producer.js',
      ['--api', stack.api, '--duration', '1', '--rate', '1', '--label-delay', '0'],
      { DRIFTLINE_API_KEY: stack.adminKey },
    );
    expect(again).toContain('demo: bike-demand updated, reference of 5000 rows uploaded');
    expect(again).toContain('demo: churn-classifier updated, reference of 5000 rows uploaded');
  }, 240_000);
});

interface AlertBody {
  alertId: string;
  status: string;
  windowStart: string;
  windowEnd: string;
  evidence: { retrainTriggerId?: string };
}

// What the demo's receivers print first for each thing they receive (scripts/demo-receivers.ts).
const SLACK_MESSAGE = /^\[slack\] message to (\S+): (.*)$/;
const EMAIL = /^\[email\] mail to (.+) from .*: (.*)$/;
const WEBHOOK = /^\[webhook\] POST (\S+): verified signature: (.*)$/;

// `npm run demo` is `npm run build && node dist/scripts/up.js --demo`: this runs the second half,
// on the test broker (KAFKA_BROKERS) and a database of its own (DATABASE_URL), on free ports.
describe('npm run demo: the drifting model, told on Slack and by email and retrained', () => {
  let database: IsolatedDatabase;
  let demo: Child | undefined;

  afterAll(async () => {
    if (demo && demo.process.exitCode === null && demo.process.signalCode === null) {
      demo.process.kill('SIGTERM');
      await demo.exited;
    }
    await database?.drop();
  }, 60_000);

  it('shows one Slack message, one email and one verified retrain webhook for the drift episode', async () => {
    database = await createIsolatedDatabase();
    const ports: number[] = [];
    for (let i = 0; i < 4; i++) ports.push(await freePort());
    const [apiPort, monitorPort, notifierPort, dispatcherPort] = ports.map(String);
    const api = `http://127.0.0.1:${apiPort}`;
    const running = runBuilt(
      'scripts/up.js',
      ['--demo', '--drift-after', '30', '--rate', '50', '--label-delay', '5'],
      {
        DATABASE_URL: database.url,
        KAFKA_BROKERS: testKafkaBrokers(),
        KAFKA_TOPIC_PREFIX: `${uniqueName('demo')}.`,
        KAFKA_PARTITIONS: '3',
        KAFKA_SESSION_TIMEOUT_MS: '6000',
        DATABASE_POOL_SIZE: '4',
        API_PORT: apiPort,
        MONITOR_PORT: monitorPort,
        NOTIFIER_PORT: notifierPort,
        DISPATCHER_PORT: dispatcherPort,
        // the demo's own receivers, links and timers, whatever the shell running the tests sets
        ...Object.fromEntries(
          ['SLACK_API_URL', 'SLACK_TOKEN', 'SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL'].map((name) => [
            name,
            undefined,
          ]),
        ),
        ALERT_GROUP_WAIT: undefined,
        ALERT_GROUP_INTERVAL: undefined,
        // up generates the admin key and prints it
        DRIFTLINE_ADMIN_KEY: undefined,
        DRIFTLINE_API_KEY: undefined,
        DRIFTLINE_AUTH: undefined,
      },
    );
    demo = running;
    const lines = () => running.output().split('\n');
    const shown = (pattern: RegExp) =>
      lines()
        .map((line) => pattern.exec(line))
        .filter((match): match is RegExpExecArray => match !== null);
    const alive = () => {
      if (running.process.exitCode !== null) throw new Error(`up exited:\n${running.output()}`);
    };

    let driftSeenAt = 0;
    await waitFor(
      () => {
        alive();
        if (!driftSeenAt && running.output().includes(`demo: ${DRIFTING_MODEL_ID} starts drifting now`))
          driftSeenAt = Date.now();
        return shown(SLACK_MESSAGE).length > 0 && shown(EMAIL).length > 0 && shown(WEBHOOK).length > 0;
      },
      { timeoutMs: 300_000, intervalMs: 250, message: 'the Slack message, the email and the webhook shown' },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${running.output()}`);
    });
    const output = running.output();
    expect(output).toContain(`[alerts] monitor ${DRIFTING_MODEL_ID}-drift-share created`);
    const adminKey = /^\[up\] admin API key \(generated for this run[^)]*\): (\S+)$/m.exec(output)?.[1] ?? '';
    const readKey = /^\[up\] read-only API key for the dashboard [^:]*: (dlk_\S+)$/m.exec(output)?.[1] ?? '';
    expect(adminKey.length).toBeGreaterThanOrEqual(32);
    expect(output).toContain(`[up] in another terminal: export DRIFTLINE_API_KEY='${adminKey}'`);
    // the services never log a key: it shows in up's own lines only
    expect(lines().filter((l) => l.includes(adminKey) && !l.startsWith('[up] '))).toEqual([]);
    expect((await fetch(`${api}/v1/models`)).status).toBe(401);
    const asReader = await fetch(`${api}/v1/models`, { method: 'POST', ...withKey(readKey) });
    expect(asReader.status).toBe(403);

    // The alert fired on a window that holds drifted events, after the drift began.
    const response = await fetch(`${api}/v1/alerts?modelId=${DRIFTING_MODEL_ID}`, withKey(readKey));
    const { alerts } = (await response.json()) as { alerts: AlertBody[] };
    expect(alerts.map((a) => a.status)).toEqual(['firing']);
    const [alert] = alerts;
    expect(driftSeenAt).toBeGreaterThan(0);
    expect(new Date(alert.windowEnd).getTime()).toBeGreaterThan(driftSeenAt);
    const index = (text: string) => output.indexOf(text);
    expect(index('[slack] message to')).toBeGreaterThan(
      index(`demo: ${DRIFTING_MODEL_ID} starts drifting now`),
    );

    // Two more windows judged while it still fires (and the groups' 30 s interval passed since the
    // first message): the episode is still the one message, mail and webhook.
    const later = new Date(alert.windowEnd).getTime() + 60_000;
    await waitFor(
      async () => {
        alive();
        const latest = await fetch(`${api}/v1/models/${DRIFTING_MODEL_ID}/windows/latest`, withKey(adminKey));
        const body = (await latest.json()) as { windowEnd?: string; drift?: { driftShare: number } };
        return body.windowEnd !== undefined && new Date(body.windowEnd).getTime() >= later ? body : null;
      },
      { timeoutMs: 180_000, intervalMs: 1000, message: 'two more windows evaluated' },
    );

    const messages = shown(SLACK_MESSAGE);
    expect(messages.map(([, channel, title]) => [channel, title])).toEqual([
      [DEMO_SLACK_CHANNEL, `[FIRING:1] ${DRIFTING_MODEL_ID}`],
    ]);
    expect(running.output()).toContain(`[slack]   drift_share = 0.6 (threshold 0.5)`);
    expect(running.output()).toContain(
      `[slack]   View the evidence in Driftline: ${api}/alerts/${alert.alertId}`,
    );
    const mails = shown(EMAIL);
    expect(mails.map(([, to, subject]) => [to, subject])).toEqual([
      [DEMO_MAIL_TO.join(', '), `[FIRING:1] ${DRIFTING_MODEL_ID}`],
    ]);
    expect(running.output()).toContain(
      `[email]     model ${DRIFTING_MODEL_ID}, monitor ${DRIFTING_MODEL_ID}-drift-share`,
    );
    const hooks = shown(WEBHOOK);
    expect(hooks.map(([, path, verified]) => [path, verified])).toEqual([['/retrain', 'yes']]);
    expect(running.output()).toContain(`[webhook]   triggerId ${alert.evidence.retrainTriggerId}`);
    expect(running.output()).toContain(`[webhook]   modelId ${DRIFTING_MODEL_ID}`);

    running.process.kill('SIGTERM');
    const [code] = (await running.exited) as [number | null];
    expect(code).toBe(0);
    expect(running.output()).toContain('[up] stopped');
  }, 540_000);
});

type Row = Record<string, unknown>;

/**
 * Runs the README's Quick start queries on the database the demo filled: the arrival counts equal
 * the events the demo sent, and the windows equal the API's.
 */
async function checkReadmeQueries(stack: E2eStack, perModel: number): Promise<void> {
  const { arrivals, windows } = quickStartQueries();
  const ofDemo = (rows: Row[]) => rows.filter((r) => DEMO_MODELS.includes(r.model_id as string));
  // The labels are consumed apart from the predictions: wait until all are counted.
  const counted = await waitFor(
    async () => {
      const rows = ofDemo(await queryRows(stack.databaseUrl, arrivals));
      const labels = rows.filter((r) => r.metric === 'label_count').map((r) => r.total);
      return labels.length === 2 && labels.every((n) => n === perModel) ? rows : null;
    },
    { timeoutMs: 60_000, intervalMs: 500, message: `${perModel} labels counted per demo model` },
  );
  const income = counted.find((r) => r.model_id === 'churn-classifier' && r.feature === 'income');
  const incomeMissing = Number(income?.total);
  // A drifting churn customer has no income one time in four (from the first second: --drift-after 0).
  expect(incomeMissing / perModel).toBeGreaterThan(0.2);
  expect(incomeMissing / perModel).toBeLessThan(0.3);
  const counts = (modelId: string, features: string[]) => [
    { model_id: modelId, metric: 'label_count', feature: '', total: perModel },
    ...features.map((feature) => ({
      model_id: modelId,
      metric: 'missing_count',
      feature,
      total: feature === 'income' ? incomeMissing : 0,
    })),
    { model_id: modelId, metric: 'prediction_count', feature: '', total: perModel },
  ];
  const features = (modelId: string) =>
    Object.keys(DEMO_MODEL_SPECS.find((spec) => spec.modelId === modelId)?.features ?? {}).sort();
  expect(counted).toEqual([
    ...counts('bike-demand', features('bike-demand')),
    ...counts('churn-classifier', features('churn-classifier')),
  ]);

  // Windows may still be closing on the idle timeout: compare once both sides agree.
  const fromApi = async () =>
    (
      await Promise.all(
        DEMO_MODELS.map(async (modelId) =>
          (await windowsOf(stack.api, modelId)).map((w) => ({
            model_id: modelId,
            window_start: w.windowStart,
            window_end: w.windowEnd,
            events: w.eventCount,
            drift_share: w.drift.driftShare,
          })),
        ),
      )
    ).flat();
  const fromSql = async () =>
    ofDemo(await queryRows(stack.databaseUrl, windows)).map((r) => ({
      ...r,
      window_start: (r.window_start as Date).toISOString(),
      window_end: (r.window_end as Date).toISOString(),
    }));
  const agreed = await waitFor(
    async () => {
      const [api, sql] = [await fromApi(), await fromSql()];
      return JSON.stringify(api) === JSON.stringify(sql) ? { api, sql } : null;
    },
    { timeoutMs: 60_000, intervalMs: 500, message: "the README's windows query equals the API's windows" },
  );
  expect(agreed.sql).toEqual(agreed.api);
  expect(agreed.api.some((w) => w.model_id === 'churn-classifier' && w.events === perModel)).toBe(true);
}
