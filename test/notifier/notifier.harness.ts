import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { topicNames, verifyWebhook, type AlertEvent } from '@driftline/contracts';
import { loadConfig } from '@driftline/config';
import { openDatabase, type Database } from '@driftline/db';
import {
  createIsolatedDatabase,
  createTopics,
  startSlackStandIn,
  startSmtpCapture,
  startWebhookReceiver,
  TEST_AUTHORIZATION,
  testKafkaBrokers,
  uniqueName,
  type IsolatedDatabase,
  type ReceivedRequest,
  type ScriptedResponse,
  type SlackStandIn,
  type SmtpCapture,
  type WebhookReceiver,
} from '@driftline/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import pino from 'pino';
import { AppModule } from '../../services/api/src/app.module';
import type { DeliveryList } from '../../services/api/src/notifications/deliveries.service';
import type { DeliveryView } from '../../services/api/src/notifications/notification.mapper';
import { createServiceApp, type ServiceContext } from '@driftline/common';
import { NotifierModule } from '../../services/notifier/src/notifier.module';
import { serviceEnv, testPrefix } from '../helpers/driftline.harness';

export const WEBHOOK_SECRET = 'notifier-test-secret-0123456789';
export const PUBLIC_URL = 'https://driftline.example.com';
export const MAIL_FROM = 'Driftline <alerts@driftline.test>';

export interface RunningApp {
  app: NestExpressApplication;
  url: string;
  /** The app's log lines (JSON), as written. */
  logs: string[];
  close(): Promise<void>;
}

/** A Driftline app of this process on a free port, its logs kept in memory. */
async function startApp(
  name: 'api' | 'notifier',
  env: NodeJS.ProcessEnv,
  moduleFor: (context: ServiceContext) => ReturnType<typeof AppModule.forRoot>,
): Promise<RunningApp> {
  const config = loadConfig(env);
  const logs: string[] = [];
  const logger = pino(
    { name, level: config.log.level, base: { service: name } },
    { write: (line: string) => void logs.push(line) },
  );
  const context = { config, logger };
  const app = await createServiceApp(name, context, moduleFor(context));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}

/**
 * One isolated deployment for notifier tests: its own database and topic prefix on the shared
 * broker, a Slack stand-in, a real SMTP server and a webhook receiver, the api (for channels,
 * routes, silences and the delivery log) and a producer of AlertEvents as the monitor's relay sends them.
 */
export class NotifierEnvironment {
  private producer: Producer | undefined;
  private readonly apps: RunningApp[] = [];

  private constructor(
    readonly prefix: string,
    readonly database: IsolatedDatabase,
    readonly db: Database,
    readonly slack: SlackStandIn,
    readonly smtp: SmtpCapture,
    readonly hook: WebhookReceiver,
    readonly api: RunningApp,
  ) {}

  static async create(hookResponses: ScriptedResponse[] = []): Promise<NotifierEnvironment> {
    const database = await createIsolatedDatabase();
    const db = await openDatabase({ url: database.url, poolSize: 4, applicationName: 'notifier-test' });
    const [slack, smtp, hook] = await Promise.all([
      startSlackStandIn(),
      startSmtpCapture(),
      startWebhookReceiver({ responses: hookResponses }),
    ]);
    const prefix = testPrefix('it-notify');
    await createTopics(testKafkaBrokers(), Object.values(topicNames(prefix)), 3);
    const api = await startApp('api', serviceEnv(prefix, database.url, { LOG_LEVEL: 'silent' }), (c) =>
      AppModule.forRoot(c),
    );
    const env = new NotifierEnvironment(prefix, database, db, slack, smtp, hook, api);
    env.apps.push(api);
    return env;
  }

  /** The notifier's environment: short timers, the stand-ins as Slack and SMTP. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return serviceEnv(this.prefix, this.database.url, {
      SLACK_API_URL: this.slack.apiUrl,
      SLACK_TOKEN: this.slack.token,
      SMTP_URL: `smtp://${this.smtp.host}:${this.smtp.port}`,
      MAIL_FROM,
      PUBLIC_URL,
      ALERT_GROUP_WAIT: '1s',
      ALERT_GROUP_INTERVAL: '1s',
      ALERT_REPEAT_INTERVAL: '1h',
      ALERT_DEFAULT_CHANNELS: '',
      NOTIFY_POLL_INTERVAL: '100ms',
      NOTIFY_RETRY_BACKOFF: '200ms',
      NOTIFY_RETRY_MAX_BACKOFF: '2s',
      NOTIFY_SEND_TIMEOUT: '2s',
      NOTIFY_DELIVERY_DEADLINE: '2m',
      LOG_LEVEL: 'warn',
      ...extra,
    });
  }

  async startNotifier(extra: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
    const notifier = await startApp('notifier', this.env(extra), (c) => NotifierModule.forRoot(c));
    this.apps.push(notifier);
    return notifier;
  }

  /** A call to the api; the body parsed when there is one. */
  async call<T>(path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.api.url}${path}`, {
      method,
      headers: {
        authorization: TEST_AUTHORIZATION,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  /** A Slack, an email and a webhook channel, and one route sending to them the alerts of models matching `models`. */
  async routeToEveryChannel(
    models: string,
  ): Promise<{ slack: string; email: string; webhook: string; route: string }> {
    const ids = {
      slack: uniqueName('slack'),
      email: uniqueName('email'),
      webhook: uniqueName('hook'),
      route: uniqueName('route'),
    };
    await this.call('/v1/channels', 'POST', {
      channelId: ids.slack,
      type: 'slack',
      slack: { channel: '#ml-alerts' },
    });
    await this.call('/v1/channels', 'POST', {
      channelId: ids.email,
      type: 'email',
      email: { to: ['oncall@example.com'] },
    });
    await this.call('/v1/channels', 'POST', {
      channelId: ids.webhook,
      type: 'webhook',
      webhook: { url: `${this.hook.url}/driftline`, secret: WEBHOOK_SECRET },
    });
    await this.call('/v1/routes', 'POST', {
      routeId: ids.route,
      order: 1,
      matchers: [{ name: 'modelId', op: '=~', value: models }],
      channels: [ids.slack, ids.email, ids.webhook],
      groupBy: ['modelId'],
    });
    return ids;
  }

  /** AlertEvents onto the alerts topic, keyed by model, as the outbox relay publishes them. */
  async produce(...alerts: AlertEvent[]): Promise<void> {
    if (this.producer === undefined) {
      const kafka = new Kafka({
        clientId: uniqueName('notifier-test'),
        brokers: [testKafkaBrokers()],
        logLevel: logLevel.NOTHING,
      });
      this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    await this.producer.send({
      topic: topicNames(this.prefix).alerts,
      messages: alerts.map((a) => ({ key: a.modelId, value: JSON.stringify(a) })),
    });
  }

  async deliveries(channelId: string): Promise<DeliveryView[]> {
    return (await this.call<DeliveryList>(`/v1/deliveries?channelId=${channelId}`)).body.deliveries;
  }

  /** What the receivers got for one model. */
  received(modelId: string) {
    return {
      slack: this.slack.messages.filter((m) => (m.text ?? '').includes(modelId)),
      mail: this.smtp.messages.filter((m) => m.subject.includes(modelId)),
      hooks: this.hook.requests.filter((r) => r.text.includes(`"modelId":"${modelId}"`)),
    };
  }

  /** Aggregation groups still open and notifications not yet sent or failed: nothing more can go out. */
  async settled(): Promise<boolean> {
    const [groups, pending] = await Promise.all([
      this.query<{ n: string }>('SELECT count(*) AS n FROM notification_groups'),
      this.query<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE status = 'pending'`),
    ]);
    return groups[0].n === '0' && pending[0].n === '0';
  }

  /** Plain SQL, independent of the repositories under test. */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    for (const app of this.apps.reverse()) await app.close().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await Promise.all([this.slack.close(), this.smtp.close(), this.hook.close()]);
    await this.db.close();
    await this.database.drop();
  }
}

/** The receiver's check, as the README tells webhook owners to do it. */
export function verified(request: ReceivedRequest): boolean {
  const header = request.headers['x-driftline-signature'];
  return verifyWebhook(
    WEBHOOK_SECRET,
    request.body,
    typeof header === 'string' ? header : undefined,
    Math.floor(Date.now() / 1000),
  ).ok;
}
