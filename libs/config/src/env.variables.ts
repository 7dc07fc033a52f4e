import {
  parseBrokers,
  parseByteSize,
  parseChoice,
  parseDurationMs,
  parseInteger,
  parsePort,
  parsePostgresUrl,
  parseText,
  parseTopicPrefix,
} from './env.parsers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const OFFSET_MISMATCH_POLICIES = ['reset', 'fail'] as const;
export type OffsetMismatchPolicy = (typeof OFFSET_MISMATCH_POLICIES)[number];

interface VariableSpec<T> {
  default: string;
  description: string;
  parse: (raw: string) => T;
}

function variable<T>(defaultValue: string, description: string, parse: (raw: string) => T): VariableSpec<T> {
  return { default: defaultValue, description, parse };
}

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
    'Most bytes a consumer fetches from one partition at a time: one batch, one Postgres transaction. Larger batches spread the per-transaction cost (pane state writes) over more events.',
    (raw) => parseInteger(raw, 1024, 268435456),
  ),
  CONSUMER_MIN_BYTES: variable(
    '1',
    'Bytes a fetch waits for (up to CONSUMER_MAX_WAIT_MS) before it returns: above 1, batches at moderate rates are fewer and larger, at the cost of that wait in latency.',
    (raw) => parseInteger(raw, 1, 268435456),
  ),
  CONSUMER_MAX_WAIT_MS: variable(
    '500',
    'Longest a fetch waits for CONSUMER_MIN_BYTES before it returns what there is.',
    (raw) => parseInteger(raw, 0, 30000),
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
  DATABASE_POOL_SIZE: variable('10', 'Maximum connections per service process.', (raw) =>
    parseInteger(raw, 1, 200),
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
