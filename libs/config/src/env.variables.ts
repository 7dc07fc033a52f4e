import {
  parseBrokers,
  parseByteSize,
  parseChoice,
  parseDurationMs,
  parseHttpUrl,
  parseIdList,
  parseInteger,
  parseOptionalText,
  parsePort,
  parsePostgresUrl,
  parseSmtpUrl,
  parseSecretKey,
  parseText,
  parseTopicPrefix,
} from './env.parsers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const OFFSET_MISMATCH_POLICIES = ['reset', 'fail'] as const;
export type OffsetMismatchPolicy = (typeof OFFSET_MISMATCH_POLICIES)[number];
export const AUTH_MODES = ['on', 'off'] as const;
/** Postgres' synchronous_commit levels (https://www.postgresql.org/docs/15/wal-async-commit.html). */
export const SYNCHRONOUS_COMMIT_LEVELS = ['off', 'local', 'on', 'remote_write', 'remote_apply'] as const;
export type SynchronousCommit = (typeof SYNCHRONOUS_COMMIT_LEVELS)[number];
export type AuthMode = (typeof AUTH_MODES)[number];
/** Shortest DRIFTLINE_ADMIN_KEY accepted: guessing it must be out of reach. */
export const ADMIN_KEY_MIN_LENGTH = 32;

interface VariableSpec<T> {
  default: string;
  description: string;
  parse: (raw: string) => T;
  /** Holds a credential: a bad value is reported without echoing it. */
  secret?: boolean;
}

function variable<T>(
  defaultValue: string,
  description: string,
  parse: (raw: string) => T,
  secret = false,
): VariableSpec<T> {
  return { default: defaultValue, description, parse, ...(secret ? { secret } : {}) };
}

const HOUR_MS = 3_600_000;

/** Every environment variable Driftline reads, with its default and meaning. */
export const VARIABLES = {
  API_PORT: variable('8080', 'HTTP port of the api service.', parsePort),
  MONITOR_PORT: variable('8081', 'HTTP port (health, readiness) of the monitor service.', parsePort),
  NOTIFIER_PORT: variable('8082', 'HTTP port (health, readiness) of the notifier service.', parsePort),
  DISPATCHER_PORT: variable('8083', 'HTTP port (health, readiness) of the dispatcher service.', parsePort),
  KAFKA_BROKERS: variable(
    '127.0.0.1:9092',
    'Comma-separated Kafka bootstrap servers (host:port).',
    parseBrokers,
  ),
  KAFKA_CLIENT_ID: variable(
    'driftline',
    'Kafka client id; each service appends its own name (driftline-api, ...).',
    parseText,
  ),
  KAFKA_TOPIC_PREFIX: variable(
    '',
    'Namespace put in front of every topic and consumer group name, e.g. "staging." gives staging.driftline.predictions.v1.',
    parseTopicPrefix,
  ),
  KAFKA_PARTITIONS: variable(
    '6',
    'Partitions of the topics Driftline creates at start (predictions and ground truth share it: co-partitioned).',
    (raw) => parseInteger(raw, 1, 10000),
  ),
  KAFKA_REPLICATION_FACTOR: variable(
    '1',
    'Replication factor of the topics Driftline creates at start.',
    (raw) => parseInteger(raw, 1, 32),
  ),
  KAFKA_SESSION_TIMEOUT_MS: variable(
    '30000',
    'Consumer group session timeout: how long a crashed consumer keeps its partitions before a rebalance.',
    (raw) => parseInteger(raw, 6000, 300000),
  ),
  CONSUMER_RETRIES: variable(
    '5',
    'Attempts of a failing batch transaction before the consumer isolates and dead-letters the records that fail alone.',
    (raw) => parseInteger(raw, 1, 100),
  ),
  CONSUMER_RETRY_BACKOFF_MS: variable(
    '200',
    'First backoff between batch attempts in milliseconds; doubles each attempt.',
    (raw) => parseInteger(raw, 0, 60000),
  ),
  CONSUMER_MAX_BYTES_PER_PARTITION: variable(
    '8388608',
    "Most bytes a consumer fetches from one partition at a time (a fetch takes up to 4 partitions' worth, at least 10 MiB). For the notifier and dispatcher, and the monitor with CONSUMER_COMMIT_INTERVAL_MS 0, one fetch is one Postgres transaction; the monitor's interval commits once it holds CONSUMER_COMMIT_INTERVAL_MAX_BYTES. Smaller fetches cost memory less and throughput more: 1 MiB gave the monitor (2 workers) 58 MB less peak RSS and 30% fewer events a second in the bench.",
    (raw) => parseInteger(raw, 1024, 268435456),
  ),
  CONSUMER_MIN_BYTES: variable(
    '1',
    'Bytes a fetch waits for (up to CONSUMER_MAX_WAIT_MS) before it returns: above 1, batches at moderate rates are fewer and larger, at the cost of that wait in latency.',
    (raw) => parseInteger(raw, 1, 268435456),
  ),
  CONSUMER_MAX_WAIT_MS: variable(
    '100',
    "Longest a fetch waits for CONSUMER_MIN_BYTES before it returns what there is. With the monitor's commit interval, a caught-up monitor's fetches wait this long at the broker, so it is part of every window row's latency: at 20,000 events/s in the bench, the records of an interval's first fetch were 0.13-0.36 s old (median) with 100 ms, against 0.55-0.62 s with 250 ms, at the same CPU an event.",
    (raw) => parseInteger(raw, 0, 30000),
  ),
  CONSUMER_COMMIT_INTERVAL_MS: variable(
    '250',
    "How long the monitor gathers a partition's fetches before it writes them, with their offsets, in one Postgres transaction (pane and tracker state, window rows, dedup keys): the per-transaction cost is paid once an interval instead of once a fetch. With an interval, a fetch waits at the broker up to CONSUMER_MAX_WAIT_MS (or the interval if shorter) for CONSUMER_MAX_BYTES_PER_PARTITION bytes (or CONSUMER_MIN_BYTES if more), so a caught-up monitor fetches a few times an interval, not in a loop of fetches of a few records each. Rows appear up to this much later; a crash or a rebalance re-reads the uncommitted interval from the stored offset. 0: one transaction per fetch. The notifier and dispatcher always commit per fetch.",
    (raw) => parseInteger(raw, 0, 60000),
  ),
  CONSUMER_COMMIT_INTERVAL_MAX_BYTES: variable(
    '4194304',
    "Bytes of record values at which the monitor commits a partition's interval before CONSUMER_COMMIT_INTERVAL_MS has run: the bound on what an open interval holds in memory (each partition has one; it is decoded only when it commits). Larger spreads the per-transaction cost over more events while the monitor works off a backlog, at about 1.5 times these bytes of memory per partition.",
    (raw) => parseInteger(raw, 1024, 268435456),
  ),
  CONSUMER_OFFSET_MISMATCH: variable(
    'reset',
    `What a consumer does when its stored offsets disagree with the broker (offset past the partition's end, a topic or cluster that changed under it): ${OFFSET_MISMATCH_POLICIES.join(' or ')}. reset restarts the partition from its log start and records it (GET /v1/offset-resets); fail keeps the consumer not ready until an operator acts.`,
    (raw) => parseChoice(raw, OFFSET_MISMATCH_POLICIES),
  ),
  DATABASE_URL: variable(
    'postgres://postgres@127.0.0.1:5432/driftline',
    'PostgreSQL connection URL. Migrations run at start.',
    parsePostgresUrl,
  ),
  DATABASE_POOL_SIZE: variable(
    '10',
    'Maximum connections of a Postgres pool: one per service process, and in the monitor one per worker thread (MONITOR_WORKERS) plus one for its main thread.',
    (raw) => parseInteger(raw, 1, 200),
  ),
  API_WORKERS: variable(
    '1',
    'Processes of one api instance sharing its port (node:cluster), each like a replica of its own: its own Kafka producer, Postgres pool and key cache (a key revoked through one is refused by the others within AUTH_KEY_CACHE_MS). /metrics sums the series of all of them. The primary process restarts nothing: a worker that dies ends the process (exit 1) for the orchestrator to restart; on SIGTERM or SIGINT it stops the workers and kills any still running after 25 s (exit 1). 1: one process, no cluster. Keep 1 in Kubernetes and scale replicas instead.',
    (raw) => parseInteger(raw, 1, 64),
  ),
  MONITOR_WORKERS: variable(
    '2',
    "Worker threads of a monitor process, each one member of the monitor's consumer group with its own partitions, Postgres pool and model state (like a replica of its own); the process's main thread serves HTTP and runs what runs once (retention, the outbox relay). 1: no worker thread, the main thread consumes itself. A worker that dies ends the process (exit 1) for the orchestrator to restart. A replica's workers beyond its share of the partitions idle: keep replicas x workers <= KAFKA_PARTITIONS.",
    (raw) => parseInteger(raw, 1, 64),
  ),
  MONITOR_EVALUATION_PASSES: variable(
    '2',
    "Evaluation passes a monitor process runs at a time, each a transaction over up to 32 closed windows of its own (claimed with SKIP LOCKED): while one pass waits on Postgres, another computes its windows' drift. When many windows close together (every model at each step), later ones wait less for their row. Each takes a connection of the main thread's pool.",
    (raw) => parseInteger(raw, 1, 16),
  ),
  MONITOR_SYNCHRONOUS_COMMIT: variable(
    'off',
    `Postgres synchronous_commit of the monitor's connections (${SYNCHRONOUS_COMMIT_LEVELS.join(', ')}). off: a transaction returns before its WAL reaches the disk, so the commits of a partition, one after another, no longer each wait for a flush; a crash of Postgres or its host can then lose the last transactions (up to 3 x wal_writer_delay, 600 ms by default), whole and in order, never part of one. Nothing is lost or counted twice: every monitor transaction holds its results with its offsets, so a lost one is read again from Kafka (the offset fence seeks back to the stored offset, the model state is reloaded for its stored token). What left the monitor meanwhile is delivered again (alerts from the outbox, dead letters: at least once, as after any crash). on: every commit waits for the flush. The api, notifier and dispatcher always commit with on.`,
    (raw) => parseChoice(raw, SYNCHRONOUS_COMMIT_LEVELS),
  ),
  OUTBOX_RELAY_INTERVAL_MS: variable(
    '500',
    'How often the monitor publishes alert and retrain-trigger events from its outbox to Kafka.',
    (raw) => parseInteger(raw, 10, 60000),
  ),
  DEDUP_HORIZON: variable(
    '24h',
    "How long the monitor remembers a model's event ids, in event time (e.g. 90m, 24h, 7d; at most 30d): a prediction or label whose eventId was counted within it is dropped as a duplicate; past it (plus up to an hour until retention runs) a resend counts again. 0s turns deduplication off.",
    (raw) => parseDurationMs(raw, 0, 30 * 86_400_000),
  ),
  INGEST_MAX_BATCH: variable('1000', 'Maximum events in one POST to the ingestion endpoints.', (raw) =>
    parseInteger(raw, 1, 100000),
  ),
  INGEST_MAX_BODY: variable(
    '5mb',
    'Maximum request body of the ingestion endpoints (b, kb, mb, gb); larger bodies get 413.',
    parseByteSize,
  ),
  INGEST_PUBLISH_TIMEOUT_MS: variable(
    '10000',
    'How long an ingestion request waits for Kafka to acknowledge before answering 503.',
    (raw) => parseInteger(raw, 100, 600000),
  ),
  PUBLIC_URL: variable(
    'http://localhost:8080',
    'Base URL people reach Driftline at; links in Slack messages, emails and webhooks point below it.',
    parseHttpUrl,
  ),
  ALERT_GROUP_WAIT: variable(
    '30s',
    'How long the notifier waits after the first alert of a new group before notifying, so alerts that fire together arrive as one message (a route may override it).',
    (raw) => parseDurationMs(raw, 0, 24 * HOUR_MS),
  ),
  ALERT_GROUP_INTERVAL: variable(
    '5m',
    'How long the notifier waits before notifying about changes (new or resolved alerts) to a group already notified (a route may override it).',
    (raw) => parseDurationMs(raw, 10, 24 * HOUR_MS),
  ),
  ALERT_REPEAT_INTERVAL: variable(
    '4h',
    'How long before an unchanged firing group is notified again (a route may override it); in effect rounded up to a multiple of the group interval.',
    (raw) => parseDurationMs(raw, 10, 30 * 24 * HOUR_MS),
  ),
  ALERT_DEFAULT_CHANNELS: variable(
    '',
    'Comma-separated channel ids that alerts matching no route go to; when empty such alerts are logged and counted (driftline_alerts_unrouted_total), not sent.',
    parseIdList,
  ),
  NOTIFY_POLL_INTERVAL: variable(
    '1s',
    'How often the notifier looks for groups whose timer is due and for deliveries to send or retry: the precision of the grouping timers.',
    (raw) => parseDurationMs(raw, 10, 60_000),
  ),
  NOTIFY_DELIVERY_DEADLINE: variable(
    '1h',
    'How long a notification keeps being retried (Slack, email or webhook failures) before it is marked failed.',
    (raw) => parseDurationMs(raw, 0, 7 * 24 * HOUR_MS),
  ),
  NOTIFY_RETRY_BACKOFF: variable(
    '1s',
    'First delay before a failed delivery is retried; doubles each attempt, with full jitter, up to NOTIFY_RETRY_MAX_BACKOFF; a longer Retry-After from the receiver wins.',
    (raw) => parseDurationMs(raw, 1, HOUR_MS),
  ),
  NOTIFY_RETRY_MAX_BACKOFF: variable(
    '5m',
    'Longest delay between two attempts of a delivery (unless the receiver asks for longer with Retry-After).',
    (raw) => parseDurationMs(raw, 1, 24 * HOUR_MS),
  ),
  NOTIFY_SEND_TIMEOUT: variable(
    '15s',
    'How long one Slack, SMTP or webhook call may take before it counts as failed and is retried.',
    (raw) => parseDurationMs(raw, 100, 10 * 60_000),
  ),
  SLACK_TOKEN: variable(
    '',
    'Slack bot token (xoxb-...) for Slack channels that have no token of their own.',
    parseOptionalText,
    true,
  ),
  SLACK_API_URL: variable(
    'https://slack.com/api/',
    "Base URL of Slack's Web API (@slack/web-api slackApiUrl), for a proxy, an air-gapped stand-in or tests.",
    (raw) => `${parseHttpUrl(raw)}/`,
  ),
  SMTP_URL: variable(
    '',
    'SMTP server for email channels: smtp://[user:password@]host:port (smtps:// for TLS from the start); when empty, email deliveries fail.',
    parseSmtpUrl,
    true,
  ),
  MAIL_FROM: variable('Driftline <driftline@localhost>', 'Sender of alert emails.', parseText),
  DISPATCH_POLL_INTERVAL: variable(
    '1s',
    'How often the dispatcher looks for retrain webhooks to send or retry (it also looks right after consuming new triggers).',
    (raw) => parseDurationMs(raw, 10, 60_000),
  ),
  DISPATCH_DELIVERY_DEADLINE: variable(
    '24h',
    'How long a retrain webhook keeps being retried (5xx, 408, 429, timeouts, network errors) after its trigger was consumed, before it is marked failed.',
    (raw) => parseDurationMs(raw, 0, 7 * 24 * HOUR_MS),
  ),
  DISPATCH_RETRY_BACKOFF: variable(
    '1s',
    'First delay before a failed retrain webhook is retried; doubles each attempt, with full jitter, up to DISPATCH_RETRY_MAX_BACKOFF; a longer Retry-After from the receiver wins.',
    (raw) => parseDurationMs(raw, 1, HOUR_MS),
  ),
  DISPATCH_RETRY_MAX_BACKOFF: variable(
    '10m',
    'Longest delay between two attempts of a retrain webhook (unless the receiver asks for longer with Retry-After).',
    (raw) => parseDurationMs(raw, 1, 24 * HOUR_MS),
  ),
  DISPATCH_SEND_TIMEOUT: variable(
    '10s',
    'How long one retrain webhook request may take before it counts as failed and is retried; a delivery cut short by a crash is sent again after twice this.',
    (raw) => parseDurationMs(raw, 100, 10 * 60_000),
  ),
  DRIFTLINE_AUTH: variable(
    'on',
    'on: every api route but /healthz, /readyz, /metrics, /docs and the dashboard shell needs an API key (Authorization: Bearer). off (local demos only): the api is open to anyone who reaches it, and says so in its log and in driftline_auth_disabled.',
    (raw) => parseChoice(raw, AUTH_MODES),
  ),
  DRIFTLINE_ADMIN_KEY: variable(
    '',
    `Bootstrap admin key of the api (at least ${ADMIN_KEY_MIN_LENGTH} characters, e.g. openssl rand -base64 32), accepted with the admin scope without being stored; use it to create the other keys (POST /v1/keys). Empty: only stored keys are accepted.`,
    (raw) => parseSecretKey(raw, ADMIN_KEY_MIN_LENGTH),
    true,
  ),
  AUTH_KEY_CACHE_MS: variable(
    '5000',
    'How often the api reloads the API keys from Postgres: a key revoked on another api instance is refused here within this interval (at once on the instance that revoked it).',
    (raw) => parseInteger(raw, 100, 600000),
  ),
  LOG_LEVEL: variable('info', `Log level: ${LOG_LEVELS.join(', ')}.`, (raw) => parseChoice(raw, LOG_LEVELS)),
} as const;

export type VariableName = keyof typeof VARIABLES;
export type ParsedVariables = { [K in VariableName]: ReturnType<(typeof VARIABLES)[K]['parse']> };

export interface VariableDoc {
  name: VariableName;
  default: string;
  description: string;
}

/** The table for the README: one row per variable. */
export const ENVIRONMENT_VARIABLES: VariableDoc[] = (Object.keys(VARIABLES) as VariableName[]).map(
  (name) => ({
    name,
    default: VARIABLES[name].default,
    description: VARIABLES[name].description,
  }),
);

/** The variables holding credentials (SLACK_TOKEN, ...): a deployment keeps them in a secret store. */
export const SECRET_VARIABLES: VariableName[] = (Object.keys(VARIABLES) as VariableName[]).filter((name) => {
  const spec: VariableSpec<unknown> = VARIABLES[name];
  return spec.secret === true;
});
