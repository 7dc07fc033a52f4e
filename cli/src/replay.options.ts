import type { HttpTarget, KafkaTarget } from '@driftline/client';
import { API_OPTIONS, API_OPTIONS_USAGE, apiTarget } from './api.options';
import { CliError } from './cli.error';
import { integerFlag, parseFlags } from './cli.flags';

export const REPLAY_USAGE = `Usage: driftline replay --file FILE --rate N [--to http|kafka] [--batch N]
  [--api URL] [--key KEY] [--brokers LIST] [--topic-prefix P]

Sends a file of prediction and ground-truth v1 events, one JSON object per line, at N events a
second: over HTTP to the API (POST /v1/predictions and /v1/ground-truth), or straight to Kafka
(driftline.predictions.v1 and driftline.ground-truth.v1, keyed by modelId as the API publishes).
A line with "prediction" or "features" is a prediction, any other a ground truth. The whole file
is checked first: an invalid line stops the replay before anything is sent (exit 2). Batches that
fail are retried with backoff; on a terminal, standard error shows a progress bar.

  --file FILE          the events (.jsonl / .ndjson)
  --rate N             events a second (token bucket), from 1 to 1000000
  --to http|kafka      where to send them (default http)
  --batch N            events a request or produce call (default: a tenth of a second's worth, 1 to 1000)
${API_OPTIONS_USAGE}
  --brokers LIST       Kafka bootstrap servers, host:port,... (default $KAFKA_BROKERS)
  --topic-prefix P     the deployment's KAFKA_TOPIC_PREFIX (default $KAFKA_TOPIC_PREFIX, else none)
  -h, --help           show this text

Prints one summary line on standard output: events sent and failed, time and rate. Exit codes: 0
every event sent; 2 bad input (flags, a missing file, an invalid line), nothing sent; 3 events not
sent (the API refused the key, or retries ran out), with one line on standard error; 1 internal error.`;

export interface ReplayOptions {
  file: string;
  rate: number;
  batch: number;
  transport: HttpTarget | KafkaTarget;
}

export function parseReplayOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ReplayOptions | 'help' {
  const { values } = parseFlags(argv, {
    ...API_OPTIONS,
    file: { type: 'string' },
    rate: { type: 'string' },
    to: { type: 'string' },
    batch: { type: 'string' },
    brokers: { type: 'string' },
    'topic-prefix': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (values.file === undefined || values.file === '') throw new CliError('--file is required');
  if (values.rate === undefined) throw new CliError('--rate is required (events a second)');
  const rate = integerFlag('--rate', values.rate, 1, 1_000_000);
  const batch =
    values.batch === undefined
      ? Math.min(1000, Math.ceil(rate / 10))
      : integerFlag('--batch', values.batch, 1, 1000);
  const to = values.to ?? 'http';
  if (to === 'http') {
    if (values.brokers !== undefined || values['topic-prefix'] !== undefined) {
      throw new CliError('--brokers and --topic-prefix go with --to kafka');
    }
    const { api, key } = apiTarget(values, env);
    return { file: values.file, rate, batch, transport: { transport: 'http', url: api, key } };
  }
  if (to !== 'kafka') throw new CliError(`--to is http or kafka, got "${to}"`);
  if (values.api !== undefined || values.key !== undefined)
    throw new CliError('--api and --key go with --to http');
  const list = values.brokers ?? env.KAFKA_BROKERS ?? '';
  const brokers = list
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) throw new CliError('--to kafka needs --brokers host:port (or KAFKA_BROKERS)');
  const bad = brokers.find((b) => !/^[^:\s]+:\d{1,5}$/.test(b));
  if (bad !== undefined) throw new CliError(`--brokers takes host:port, got "${bad}"`);
  const topicPrefix = values['topic-prefix'] ?? env.KAFKA_TOPIC_PREFIX ?? '';
  return {
    file: values.file,
    rate,
    batch,
    transport: { transport: 'kafka', brokers, topicPrefix, clientId: 'driftline-replay' },
  };
}
