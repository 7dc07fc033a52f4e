import { topicNames, type TopicNames } from '@driftline/contracts';
import {
  VARIABLES,
  type LogLevel,
  type OffsetMismatchPolicy,
  type ParsedVariables,
  type SynchronousCommit,
  type VariableName,
} from './env.variables';

export type ServiceName = 'api' | 'monitor' | 'notifier' | 'dispatcher';

export interface DriftlineConfig {
  ports: Record<ServiceName, number>;
  kafka: {
    brokers: string[];
    clientId: string;
    topicPrefix: string;
    partitions: number;
    replicationFactor: number;
    topics: TopicNames;
    /** Consumer group per consuming service, namespaced by the topic prefix. */
    groups: Record<Exclude<ServiceName, 'api'>, string>;
  };
  consumer: {
    retries: number;
    retryBackoffMs: number;
    sessionTimeoutMs: number;
    maxBytesPerPartition: number;
    minBytes: number;
    maxWaitMs: number;
    /** The monitor's commit interval: fetches of a partition gathered into one transaction; 0 per fetch. */
    commitIntervalMs: number;
    /** Bytes of record values at which an interval commits before its time. */
    commitIntervalMaxBytes: number;
    /** What to do when stored offsets disagree with the broker. */
    offsetMismatch: OffsetMismatchPolicy;
  };
  database: { url: string; poolSize: number };
  /** Event-time span within which a repeated eventId of a model is a duplicate; 0: no deduplication. */
  dedup: { horizonMs: number };
  /** How often the monitor's outbox relay runs. */
  outbox: { relayIntervalMs: number };
  /**
   * Worker threads of a monitor process, each a member of the consumer group; evaluation passes
   * its main thread runs at a time.
   */
  monitor: { workers: number; evaluationPasses: number; synchronousCommit: SynchronousCommit };
  /** Processes of an api instance sharing its port (node:cluster); 1: no cluster. */
  api: { workers: number };
  ingest: { maxBatch: number; maxBodyBytes: number; publishTimeoutMs: number };
  /** Base URL of the links Driftline sends out, without a trailing slash. */
  publicUrl: string;
  notifier: NotifierConfig;
  dispatcher: DispatcherConfig;
  /** API keys of the api service. */
  auth: AuthConfig;
  log: { level: LogLevel };
}

export interface AuthConfig {
  /** false only with an explicit DRIFTLINE_AUTH=off. */
  enabled: boolean;
  /** DRIFTLINE_ADMIN_KEY: a secret, never logged. */
  adminKey: string | null;
  /** How often stored keys are reloaded (revocations on other instances take effect). */
  keyCacheMs: number;
}

/** Retrain webhooks: how often due ones are looked for, how long and how fast they are retried. */
export interface DispatcherConfig {
  pollIntervalMs: number;
  deliveryDeadlineMs: number;
  retryBackoff: { baseMs: number; maxMs: number };
  sendTimeoutMs: number;
}

export interface NotifierConfig {
  /** Alertmanager's group_wait, group_interval, repeat_interval; a route may override each. */
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  /** Where alerts matching no route go; none: logged and counted. */
  defaultChannels: string[];
  pollIntervalMs: number;
  deliveryDeadlineMs: number;
  retryBackoff: { baseMs: number; maxMs: number };
  sendTimeoutMs: number;
  slack: { token: string | null; apiUrl: string };
  email: { smtpUrl: string | null; from: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parseAll(env: NodeJS.ProcessEnv): ParsedVariables {
  const problems: string[] = [];
  const parsed: Partial<Record<VariableName, unknown>> = {};
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const spec = VARIABLES[name];
    const raw = env[name] ?? spec.default;
    try {
      parsed[name] = spec.parse(raw);
    } catch (error) {
      const shown = 'secret' in spec && spec.secret ? '(hidden)' : JSON.stringify(raw);
      problems.push(`${name}=${shown}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed as ParsedVariables;
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DriftlineConfig {
  const v = parseAll(env);
  const prefix = v.KAFKA_TOPIC_PREFIX;
  return {
    ports: {
      api: v.API_PORT,
      monitor: v.MONITOR_PORT,
      notifier: v.NOTIFIER_PORT,
      dispatcher: v.DISPATCHER_PORT,
    },
    kafka: {
      brokers: v.KAFKA_BROKERS,
      clientId: v.KAFKA_CLIENT_ID,
      topicPrefix: prefix,
      partitions: v.KAFKA_PARTITIONS,
      replicationFactor: v.KAFKA_REPLICATION_FACTOR,
      topics: topicNames(prefix),
      groups: {
        monitor: `${prefix}driftline-monitor`,
        notifier: `${prefix}driftline-notifier`,
        dispatcher: `${prefix}driftline-dispatcher`,
      },
    },
    consumer: {
      retries: v.CONSUMER_RETRIES,
      retryBackoffMs: v.CONSUMER_RETRY_BACKOFF_MS,
      sessionTimeoutMs: v.KAFKA_SESSION_TIMEOUT_MS,
      maxBytesPerPartition: v.CONSUMER_MAX_BYTES_PER_PARTITION,
      minBytes: v.CONSUMER_MIN_BYTES,
      maxWaitMs: v.CONSUMER_MAX_WAIT_MS,
      commitIntervalMs: v.CONSUMER_COMMIT_INTERVAL_MS,
      commitIntervalMaxBytes: v.CONSUMER_COMMIT_INTERVAL_MAX_BYTES,
      offsetMismatch: v.CONSUMER_OFFSET_MISMATCH,
    },
    database: { url: v.DATABASE_URL, poolSize: v.DATABASE_POOL_SIZE },
    dedup: { horizonMs: v.DEDUP_HORIZON },
    outbox: { relayIntervalMs: v.OUTBOX_RELAY_INTERVAL_MS },
    monitor: {
      workers: v.MONITOR_WORKERS,
      evaluationPasses: v.MONITOR_EVALUATION_PASSES,
      synchronousCommit: v.MONITOR_SYNCHRONOUS_COMMIT,
    },
    api: { workers: v.API_WORKERS },
    ingest: {
      maxBatch: v.INGEST_MAX_BATCH,
      maxBodyBytes: v.INGEST_MAX_BODY,
      publishTimeoutMs: v.INGEST_PUBLISH_TIMEOUT_MS,
    },
    publicUrl: v.PUBLIC_URL,
    notifier: {
      groupWaitMs: v.ALERT_GROUP_WAIT,
      groupIntervalMs: v.ALERT_GROUP_INTERVAL,
      repeatIntervalMs: v.ALERT_REPEAT_INTERVAL,
      defaultChannels: v.ALERT_DEFAULT_CHANNELS,
      pollIntervalMs: v.NOTIFY_POLL_INTERVAL,
      deliveryDeadlineMs: v.NOTIFY_DELIVERY_DEADLINE,
      retryBackoff: { baseMs: v.NOTIFY_RETRY_BACKOFF, maxMs: v.NOTIFY_RETRY_MAX_BACKOFF },
      sendTimeoutMs: v.NOTIFY_SEND_TIMEOUT,
      slack: { token: v.SLACK_TOKEN, apiUrl: v.SLACK_API_URL },
      email: { smtpUrl: v.SMTP_URL, from: v.MAIL_FROM },
    },
    dispatcher: {
      pollIntervalMs: v.DISPATCH_POLL_INTERVAL,
      deliveryDeadlineMs: v.DISPATCH_DELIVERY_DEADLINE,
      retryBackoff: { baseMs: v.DISPATCH_RETRY_BACKOFF, maxMs: v.DISPATCH_RETRY_MAX_BACKOFF },
      sendTimeoutMs: v.DISPATCH_SEND_TIMEOUT,
    },
    auth: {
      enabled: v.DRIFTLINE_AUTH === 'on',
      adminKey: v.DRIFTLINE_ADMIN_KEY,
      keyCacheMs: v.AUTH_KEY_CACHE_MS,
    },
    log: { level: v.LOG_LEVEL },
  };
}

/** For a process entry point: on a bad environment print the problems and exit with status 78 (EX_CONFIG). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): DriftlineConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}
