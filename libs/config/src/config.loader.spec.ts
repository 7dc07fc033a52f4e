import { ConfigError, loadConfig } from './config.loader';
import { ENVIRONMENT_VARIABLES } from './env.variables';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.ports).toEqual({ api: 8080, monitor: 8081, notifier: 8082, dispatcher: 8083 });
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.kafka.partitions).toBe(6);
    expect(config.kafka.topics.predictions).toBe('driftline.predictions.v1');
    expect(config.kafka.groups.monitor).toBe('driftline-monitor');
    expect(config.ingest).toEqual({ maxBatch: 1000, maxBodyBytes: 5 * 1024 * 1024, publishTimeoutMs: 10000 });
    expect(config.log.level).toBe('info');
  });

  it("reads the dispatcher's delivery settings as milliseconds", () => {
    expect(loadConfig({}).dispatcher).toEqual({
      pollIntervalMs: 1000,
      deliveryDeadlineMs: 24 * 3_600_000,
      retryBackoff: { baseMs: 1000, maxMs: 600_000 },
      sendTimeoutMs: 10_000,
    });
    const config = loadConfig({ DISPATCH_DELIVERY_DEADLINE: '90m', DISPATCH_RETRY_BACKOFF: '50ms' });
    expect(config.dispatcher.deliveryDeadlineMs).toBe(90 * 60_000);
    expect(config.dispatcher.retryBackoff.baseMs).toBe(50);
    expect(() => loadConfig({ DISPATCH_SEND_TIMEOUT: '1ms' })).toThrow(/DISPATCH_SEND_TIMEOUT/);
  });

  it('namespaces topics and consumer groups with KAFKA_TOPIC_PREFIX', () => {
    const config = loadConfig({ KAFKA_TOPIC_PREFIX: 'it-42.' });
    expect(config.kafka.topics.deadLetter).toBe('it-42.driftline.dead-letter.v1');
    expect(config.kafka.groups.monitor).toBe('it-42.driftline-monitor');
  });

  it('runs the api as one process unless API_WORKERS (1 to 64) asks for a cluster', () => {
    expect(loadConfig({}).api).toEqual({ workers: 1 });
    expect(loadConfig({ API_WORKERS: '2' }).api).toEqual({ workers: 2 });
    for (const bad of ['0', '65', 'two'])
      expect(() => loadConfig({ API_WORKERS: bad })).toThrow(/API_WORKERS/);
  });

  it('parses lists and sizes', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'a:9092, b:9093', INGEST_MAX_BODY: '512kb' });
    expect(config.kafka.brokers).toEqual(['a:9092', 'b:9093']);
    expect(config.ingest.maxBodyBytes).toBe(512 * 1024);
  });

  it('names every bad variable at once', () => {
    const load = () =>
      loadConfig({
        API_PORT: '80a',
        KAFKA_BROKERS: 'localhost',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        INGEST_MAX_BODY: 'big',
      });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const names = (error as ConfigError).problems.map((p) => p.split('=')[0]);
      expect(names).toEqual(['API_PORT', 'KAFKA_BROKERS', 'DATABASE_URL', 'INGEST_MAX_BODY', 'LOG_LEVEL']);
      expect((error as ConfigError).message).toContain(
        'KAFKA_BROKERS="localhost": "localhost" is not host:port',
      );
    }
  });

  it('reads DEDUP_HORIZON as a duration, 24h by default, 0s for none', () => {
    expect(loadConfig({}).dedup).toEqual({ horizonMs: 86_400_000 });
    expect(loadConfig({ DEDUP_HORIZON: '1h30m' }).dedup.horizonMs).toBe(5_400_000);
    expect(loadConfig({ DEDUP_HORIZON: '0s' }).dedup.horizonMs).toBe(0);
    expect(() => loadConfig({ DEDUP_HORIZON: '1 day' })).toThrow(
      /DEDUP_HORIZON="1 day": expected a duration such as 24h, 90m or 7d, between 0ms and 30d/,
    );
    expect(() => loadConfig({ DEDUP_HORIZON: '31d' })).toThrow(
      /DEDUP_HORIZON="31d": expected a duration between/,
    );
  });

  it('gives the notifier Alertmanager timer defaults and reads its channels and endpoints', () => {
    expect(loadConfig({}).notifier).toEqual({
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 4 * 3_600_000,
      defaultChannels: [],
      pollIntervalMs: 1000,
      deliveryDeadlineMs: 3_600_000,
      retryBackoff: { baseMs: 1000, maxMs: 300_000 },
      sendTimeoutMs: 15_000,
      slack: { token: null, apiUrl: 'https://slack.com/api/' },
      email: { smtpUrl: null, from: 'Driftline <driftline@localhost>' },
    });
    const config = loadConfig({
      ALERT_DEFAULT_CHANNELS: 'oncall-slack, ml-email',
      SLACK_API_URL: 'http://127.0.0.1:4000/api',
      PUBLIC_URL: 'https://driftline.example.com/',
      SMTP_URL: 'smtp://user:pw@mail:587',
    });
    expect(config.notifier.defaultChannels).toEqual(['oncall-slack', 'ml-email']);
    expect(config.notifier.slack.apiUrl).toBe('http://127.0.0.1:4000/api/');
    expect(config.publicUrl).toBe('https://driftline.example.com');
    expect(config.notifier.email.smtpUrl).toBe('smtp://user:pw@mail:587');
  });

  it('names a bad credential variable without echoing its value', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://user:hunter2@mail' })).toThrow(
      /SMTP_URL=\(hidden\): expected an smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://user:hunter2@mail' })).not.toThrow(/hunter2/);
  });

  it('has auth on unless DRIFTLINE_AUTH=off, and the admin key at least 32 characters, never echoed', () => {
    expect(loadConfig({}).auth).toEqual({ enabled: true, adminKey: null, keyCacheMs: 5000 });
    expect(loadConfig({ DRIFTLINE_AUTH: 'off' }).auth.enabled).toBe(false);
    expect(() => loadConfig({ DRIFTLINE_AUTH: 'no' })).toThrow(
      /DRIFTLINE_AUTH="no": expected one of on, off/,
    );
    const key = 'k'.repeat(32);
    expect(loadConfig({ DRIFTLINE_ADMIN_KEY: key, AUTH_KEY_CACHE_MS: '250' }).auth).toEqual({
      enabled: true,
      adminKey: key,
      keyCacheMs: 250,
    });
    expect(() => loadConfig({ DRIFTLINE_ADMIN_KEY: 'short-secret' })).toThrow(
      /DRIFTLINE_ADMIN_KEY=\(hidden\): expected at least 32 characters/,
    );
    expect(() => loadConfig({ DRIFTLINE_ADMIN_KEY: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('rejects out-of-range integers', () => {
    expect(() => loadConfig({ KAFKA_PARTITIONS: '0' })).toThrow(/KAFKA_PARTITIONS="0": expected an integer/);
    expect(() => loadConfig({ MONITOR_PORT: '70000' })).toThrow(/MONITOR_PORT/);
  });
});

describe('ENVIRONMENT_VARIABLES', () => {
  it('documents every variable with a description', () => {
    expect(ENVIRONMENT_VARIABLES.map((v) => v.name)).toContain('KAFKA_TOPIC_PREFIX');
    for (const v of ENVIRONMENT_VARIABLES) expect(v.description.length).toBeGreaterThan(10);
  });

  it('has defaults that load', () => {
    const env = Object.fromEntries(ENVIRONMENT_VARIABLES.map((v) => [v.name, v.default]));
    expect(() => loadConfig(env)).not.toThrow();
  });
});
