import { runCli } from './cli.fixture';
import { parseReplayOptions } from './replay.options';

describe('replay, models, alerts, windows: bad input is exit 2 with one line, nothing sent', () => {
  it.each([
    [['replay', '--rate', '10'], '--file is required'],
    [['replay', '--file', 'e.jsonl'], '--rate is required (events a second)'],
    [
      ['replay', '--file', 'e.jsonl', '--rate', '0'],
      '--rate must be a whole number from 1 to 1000000, got "0"',
    ],
    [
      ['replay', '--file', 'e.jsonl', '--rate', '2.5'],
      '--rate must be a whole number from 1 to 1000000, got "2.5"',
    ],
    [['replay', '--file', 'e.jsonl', '--rate', '5', '--to', 'smtp'], '--to is http or kafka, got "smtp"'],
    [
      ['replay', '--file', 'e.jsonl', '--rate', '5', '--to', 'kafka', '--brokers', 'nohost'],
      '--brokers takes host:port, got "nohost"',
    ],
    [
      ['replay', '--file', 'e.jsonl', '--rate', '5', '--brokers', 'h:9092'],
      '--brokers and --topic-prefix go with --to kafka',
    ],
    [
      ['replay', '--file', 'e.jsonl', '--rate', '5', '--api', 'ftp://x'],
      '--api must be an http(s) URL, got "ftp://x"',
    ],
    [['replay', '--file', 'none.jsonl', '--rate', '5'], 'cannot read none.jsonl: no such file'],
    [['replay', '--file', 'e.jsonl', '--rate', '5', '--speed', '3'], "Unknown option '--speed'"],
    [['models', 'extra'], "Unexpected argument 'extra'"],
    [['alerts', '--state', 'sleeping'], '--state is firing or resolved, got "sleeping"'],
    [['alerts', '--limit', 'all'], '--limit must be a whole number from 1 to 100000, got "all"'],
    [['windows'], 'windows takes one model id; got 0'],
    [['windows', 'a', 'b'], 'windows takes one model id; got 2'],
    [['windows', 'bikes', '--limit=-1'], '--limit must be a whole number from 1 to 100000, got "-1"'],
  ])('%j', async (argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([expect.stringContaining(message), '']);
  });

  it('prints each command’s usage with --help', async () => {
    for (const name of ['replay', 'models', 'alerts', 'windows']) {
      const run = await runCli([name, '--help']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^Usage: driftline ${name} `));
    }
  });
});

describe('parseReplayOptions', () => {
  it('takes the API and key from the environment and sizes batches to a tenth of a second', () => {
    const env = { DRIFTLINE_API_URL: 'http://api:8080/', DRIFTLINE_API_KEY: 'dl_secret' };
    expect(parseReplayOptions(['--file', 'e.jsonl', '--rate', '250'], env)).toEqual({
      file: 'e.jsonl',
      rate: 250,
      batch: 25,
      transport: { transport: 'http', url: 'http://api:8080', key: 'dl_secret' },
    });
    const kafka = parseReplayOptions(['--file', 'e.jsonl', '--rate', '1', '--to', 'kafka'], {
      KAFKA_BROKERS: 'a:9092, b:9093',
      KAFKA_TOPIC_PREFIX: 'staging.',
    });
    expect(kafka).toMatchObject({
      batch: 1,
      transport: { transport: 'kafka', brokers: ['a:9092', 'b:9093'], topicPrefix: 'staging.' },
    });
  });
});
