/**
 * `npm run bench`: throughput, latency and memory of the built monitor against the bare consumers.
 * Starts its own Kafka broker and a fresh Postgres database, registers 100 models with a generated
 * reference each through the api, fills a 6-partition topic with N seeded prediction events, then
 * (a) Kafka's ConsumerPerformance, (b) a bare kafkajs eachBatch consumer with the monitor's fetch
 * settings that only decodes and validates, (c) the monitor end to end, (d) send-to-window-row
 * latency at a fixed rate, (e) the monitor's peak RSS, (f) HTTP ingestion with autocannon. Prints
 * one table and writes bench/results.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@driftline/config';
import { topicNames } from '@driftline/contracts';
import { intervalFetchSettings } from '@driftline/kafka';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import {
  KAFKA_VERSION,
  resolveKafkaJars,
  startLocalKafka,
  type LocalKafka,
} from '../../infra/kafka/local-kafka';
import { freePort } from '../../infra/net/free-port';
import {
  createDatabase,
  dropDatabase,
  resolvePostgres,
  type PostgresServer,
} from '../../infra/postgres/local-postgres';
import { gitRevision } from '../git.revision';
import { runBareConsumer } from './bare.consumer';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench.options';
import {
  evaluateTargets,
  phaseCost,
  resultsTable,
  type BenchResults,
  type MonitorThroughput,
} from './bench.results';
import { runConsumerPerformance } from './consumer-performance.runner';
import { registerModels } from './control-plane.client';
import { connectProducer, fillTopic, PRODUCER_ACKS } from './event.producer';
import { benchHttpIngest } from './http-ingest.bench';
import { measureLatency } from './latency.probe';
import { MonitorProbe } from './monitor.probe';
import { MonitorProgress } from './monitor.progress';
import { postgresActivity } from './postgres.activity';
import {
  BENCH_STEP_MS,
  BENCH_WINDOW,
  BenchDataset,
  CATEGORICAL_FEATURES,
  NUMERIC_FEATURES,
} from './prediction.generator';
import { serviceEntry, startService, type RunningService } from './service.process';

const PREFIX = 'bench.';
const PARTITIONS = 6;
const POLL_MS = 200;
const STALL_MS = 180_000;
const REPO_ROOT = join(__dirname, '..', '..', '..');
/** application_name of the monitor's Postgres connections. */
const MONITOR_APPLICATION = 'driftline-monitor';
/** The monitor's heap limits as deployed (NODE_OPTIONS of infra/k8s/monitor.yaml, docker-compose.yml). */
const MONITOR_HEAP_FLAGS = '--max-old-space-size=192 --max-semi-space-size=8';

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const mb = (kb: number | null): number | null => (kb === null ? null : kb / 1024);

/** Waits until the monitor has committed every offset up to `end` (summed over partitions). */
async function awaitMonitor(
  progress: MonitorProgress,
  group: string,
  topic: string,
  end: number,
): Promise<{ seconds: number; events: number }> {
  let first: { at: number; committed: number } | null = null;
  let last = { at: Date.now(), committed: -1 };
  let logged = 0;
  for (;;) {
    const at = Date.now();
    const committed = await progress.committedOffsets(group, topic);
    if (committed > last.committed) last = { at, committed };
    else if (at - last.at > STALL_MS) {
      throw new Error(`the monitor committed nothing for ${STALL_MS / 1000} s (at ${committed} of ${end})`);
    }
    if (first === null && committed > 0) first = { at, committed };
    if (committed >= end && first !== null) {
      return { seconds: (at - first.at) / 1000, events: end - first.committed };
    }
    if (at - logged >= 5_000) {
      log(`monitor committed ${committed} of ${end}`);
      logged = at;
    }
    await sleep(POLL_MS - (Date.now() - at));
  }
}

interface Infrastructure {
  kafka: LocalKafka | null;
  postgres: PostgresServer | null;
  database: string | null;
  services: RunningService[];
  producer: Producer | null;
  admin: Admin | null;
  progress: MonitorProgress | null;
}

async function teardown(infra: Infrastructure): Promise<void> {
  await infra.progress?.close();
  await infra.producer?.disconnect().catch(() => undefined);
  await infra.admin?.disconnect().catch(() => undefined);
  for (const service of infra.services.reverse()) await service.stop().catch(() => undefined);
  await infra.kafka?.stop().catch(() => undefined);
  if (infra.postgres && infra.database)
    await dropDatabase(infra.postgres.adminUrl, infra.database).catch(() => undefined);
  await infra.postgres?.stop().catch(() => undefined);
}

async function run(options: BenchOptions, infra: Infrastructure, work: string): Promise<BenchResults> {
  const notes: string[] = [];
  const loadAverage: Record<string, number[]> = {};
  const mark = (phase: string): void => {
    loadAverage[phase] = loadavg();
  };
  mark('start');
  const skipped = (phase: Parameters<typeof options.skip.has>[0]): boolean => options.skip.has(phase);

  log('starting Kafka and Postgres');
  const jars = await resolveKafkaJars();
  infra.kafka = await startLocalKafka({ numPartitions: PARTITIONS, heapMb: 1024 });
  infra.postgres = await resolvePostgres();
  infra.database = `driftline_bench_${process.pid}`;
  await dropDatabase(infra.postgres.adminUrl, infra.database);
  const databaseUrl = await createDatabase(infra.postgres.adminUrl, infra.database);
  const brokers = infra.kafka.brokers;
  const kafka = new Kafka({ clientId: 'driftline-bench', brokers: [brokers], logLevel: logLevel.ERROR });
  const topics = topicNames(PREFIX);
  const admin = kafka.admin();
  infra.admin = admin;
  await admin.connect();
  await admin.createTopics({
    topics: [topics.predictions, topics.groundTruth].map((topic) => ({
      topic,
      numPartitions: PARTITIONS,
      replicationFactor: 1,
    })),
  });

  const serviceEnv = {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: PREFIX,
    KAFKA_PARTITIONS: String(PARTITIONS),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
  };
  const apiPort = await freePort();
  // every request of the run carries it, as a producer's would
  const apiKey = randomBytes(32).toString('base64url');
  // f measures the api as a cluster of API_WORKERS processes sharing its port
  const apiWorkers = process.env.BENCH_API_WORKERS ?? '2';
  log(`starting the api (API_WORKERS ${apiWorkers})`);
  const api = await startService(
    'api',
    apiPort,
    { ...serviceEnv, API_PORT: String(apiPort), API_WORKERS: apiWorkers, DRIFTLINE_ADMIN_KEY: apiKey },
    join(work, 'api.log'),
    (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  infra.services.push(api);

  const dataset = new BenchDataset(options.models, options.seed);
  log(`registering ${options.models} models with a ${options.referenceRows}-row reference each`);
  const registration = await registerModels(api.url, apiKey, dataset, options.referenceRows);
  const mode: MonitorThroughput['mode'] =
    registration.withReference === options.models ? 'windows' : 'counts only';
  if (registration.problem) {
    notes.push(
      `model registration incomplete (${registration.registered} registered, ${registration.withReference} with a reference): ` +
        `${registration.problem}; models without a reference are only counted per minute, so c measures counting, not windows`,
    );
  }

  mark('production');
  log(`producing ${options.events} events to ${topics.predictions}`);
  infra.producer = await connectProducer(kafka);
  const revision = gitRevision(REPO_ROOT);
  const produced = await fillTopic(infra.producer, topics.predictions, dataset, options.events, (n) =>
    log(`produced ${n}`),
  );
  const offsets = await admin.fetchTopicOffsets(topics.predictions);
  const endOffset = offsets.reduce((sum, p) => sum + Number(p.high), 0);

  const results: BenchResults = {
    machine: {
      date: new Date().toISOString(),
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      kafka: KAFKA_VERSION,
      postgres: 'unknown',
      postgresSource: infra.postgres.source,
      gitCommit: revision.commit,
      gitDirty: revision.dirty,
      gitChanges: revision.changes,
      monitorBuiltAt: statSync(serviceEntry('monitor')).mtime.toISOString(),
      loadAverage,
    },
    settings: {
      events: options.events,
      models: options.models,
      numericFeatures: NUMERIC_FEATURES.length,
      categoricalFeatures: CATEGORICAL_FEATURES.length,
      partitions: PARTITIONS,
      window: {
        size: BENCH_WINDOW.size,
        step: BENCH_WINDOW.step,
        allowedLateness: BENCH_WINDOW.allowedLateness,
        panes: 12,
      },
      referenceRows: options.referenceRows,
      producer: `kafkajs 2.2.4, acks ${PRODUCER_ACKS}, not idempotent, uncompressed, 1,000 events per send, 4 sends in flight`,
      seed: options.seed,
    },
    registration,
    production: {
      ...produced,
      eventsPerSecond: produced.events / produced.seconds,
      megabytesPerSecond: produced.bytes / 2 ** 20 / produced.seconds,
      averageBytes: produced.bytes / produced.events,
    },
    consumerPerformance: null,
    bareConsumer: null,
    monitor: null,
    ratios: { monitorToBare: null, monitorToConsumerPerformance: null },
    latency: null,
    latencyLowRate: null,
    peakRssMb: { afterThroughput: null, afterLatency: null },
    monitorMemory: { atStart: null, afterThroughput: null, afterLowRate: null, afterLatency: null },
    http: null,
    apiWorkers: loadConfig({ ...process.env, API_WORKERS: apiWorkers }).api.workers,
    profile: null,
    targets: [],
    notes,
  };
  if (revision.dirty) {
    notes.push(
      `the build included ${revision.changes.length} uncommitted changes to ${revision.commit} (shared working tree): ${revision.changes.join(', ')}`,
    );
  }

  if (!skipped('consumer-performance')) {
    mark('a');
    log('a. ConsumerPerformance');
    results.consumerPerformance = await runConsumerPerformance(jars, brokers, topics.predictions, endOffset);
  }
  if (!skipped('bare')) {
    mark('b');
    log('b. bare kafkajs consumer');
    // the monitor's fetch settings: config.consumer of the environment the monitor is started with,
    // as its commit interval makes them
    const { sessionTimeoutMs, maxBytesPerPartition, minBytes, maxWaitMs, commitIntervalMs } = loadConfig({
      ...process.env,
      ...serviceEnv,
    }).consumer;
    const fetch = intervalFetchSettings(
      { sessionTimeoutMs, maxBytesPerPartition, minBytes, maxWaitMs },
      commitIntervalMs,
    );
    const bare = await runBareConsumer(kafka, topics.predictions, endOffset, fetch, 600_000);
    results.bareConsumer = { ...bare, messagesPerSecond: bare.messages / bare.seconds };
  }

  if (!skipped('monitor') || !skipped('latency')) {
    infra.progress = await MonitorProgress.connect(databaseUrl);
    results.machine.postgres = await infra.progress.serverVersion();
    // probe signals: 1 once ready, 2 after c, 3 after the low-rate pass, 4 after the fixed-rate pass
    const probe = new MonitorProbe(work, options.profile === 'c' ? 1 : options.profile === 'd-low' ? 2 : 0);
    const monitorPort = await freePort();
    mark('c');
    log('c. monitor end to end');
    const monitor = await startService(
      'monitor',
      monitorPort,
      {
        ...serviceEnv,
        MONITOR_PORT: String(monitorPort),
        ...probe.env(),
      },
      join(work, 'monitor.log'),
      [
        ...probe.nodeArgs(),
        ...(process.env.BENCH_MONITOR_NODE_ARGS ?? MONITOR_HEAP_FLAGS).split(' ').filter(Boolean),
      ],
    );
    infra.services.push(monitor);
    probe.attach(monitor.pid);
    results.monitorMemory.atStart = await probe.signal();
    const progress = infra.progress;
    const samplePostgres = () => progress.samplePostgres(MONITOR_APPLICATION);
    // events the monitor handled: offsets it committed
    const committedEvents = (): Promise<number> =>
      progress.committedOffsets(`${PREFIX}driftline-monitor`, topics.predictions);
    const { commitIntervalMs } = loadConfig({ ...process.env, ...serviceEnv }).consumer;
    const { dedup, monitor: monitorConfig } = loadConfig({ ...process.env, ...serviceEnv });
    results.monitorSettings = {
      commitIntervalMs,
      dedupHorizonMs: dedup.horizonMs,
      workers: monitorConfig.workers,
    };
    results.monitorCost = { c: null, latencyLowRate: null, latency: null };
    const cost = results.monitorCost;
    let postgresAtStart = await samplePostgres();
    const consumed = await awaitMonitor(
      infra.progress,
      `${PREFIX}driftline-monitor`,
      topics.predictions,
      endOffset,
    );
    // the windows closed by the last batches are evaluated off the consumer's path: their CPU is c's
    while ((await infra.progress.pendingEvaluations()) > 0) await sleep(POLL_MS);
    results.monitorMemory.afterThroughput = await probe.signal();
    let postgresAtEnd = await samplePostgres();
    cost.c = phaseCost(
      endOffset,
      results.monitorMemory.atStart,
      results.monitorMemory.afterThroughput,
      postgresActivity(postgresAtStart, postgresAtEnd),
    );
    if (options.profile === 'c') {
      results.profile = await probe.profile();
      notes.push(
        'the monitor ran under the V8 sampling profiler (500 us) during c: c is lower than unprofiled',
      );
    }
    const windows = await infra.progress.windowSummary();
    results.monitor = {
      mode,
      events: consumed.events,
      seconds: consumed.seconds,
      eventsPerSecond: consumed.events / consumed.seconds,
      pollMs: POLL_MS,
      countedPredictions: await infra.progress.predictionCount(),
      windowRows: windows.windows,
      lateEvents: windows.lateEvents,
      peakRssMb: mb(monitor.peakRssKb()),
      paneState: await infra.progress.paneState(),
    };
    results.peakRssMb.afterThroughput = results.monitor.peakRssMb;
    if (results.monitor.countedPredictions !== endOffset) {
      notes.push(`prediction_count sums to ${results.monitor.countedPredictions}, not ${endOffset}`);
    }
    if (results.bareConsumer)
      results.ratios.monitorToBare = results.monitor.eventsPerSecond / results.bareConsumer.messagesPerSecond;
    if (results.consumerPerformance) {
      results.ratios.monitorToConsumerPerformance =
        results.monitor.eventsPerSecond / results.consumerPerformance.fetchMessagesPerSecond;
    }

    if (!skipped('latency')) {
      const group = `${PREFIX}driftline-monitor`;
      const { progress, producer } = infra;
      const backlog = async (): Promise<number> => {
        const high = await admin.fetchTopicOffsets(topics.predictions);
        const end = high.reduce((sum, p) => sum + Number(p.high), 0);
        return end - (await progress.committedOffsets(group, topics.predictions));
      };
      const pass = (rate: number, drainMs: number) =>
        measureLatency(producer, topics.predictions, dataset, progress, {
          rate,
          warmupSeconds: options.warmupSeconds,
          seconds: options.latencySeconds,
          stepMs: BENCH_STEP_MS,
          pollMs: 100,
          drainMs,
          backlog,
          metrics: async () => {
            const response = await fetch(`${monitor.url}/metrics`);
            if (!response.ok) throw new Error(`monitor /metrics answered ${response.status}`);
            return response.text();
          },
        });
      // The low-rate pass first: after a pass the monitor cannot keep up with, it has a backlog.
      if (options.latencyLowRate > 0 && options.latencyLowRate < options.latencyRate) {
        mark('d-low');
        log(
          `d. latency at ${options.latencyLowRate} events/s (${options.warmupSeconds} s warm-up + ${options.latencySeconds} s)`,
        );
        const [end, postgres] = [await committedEvents(), await samplePostgres()];
        results.latencyLowRate = await pass(options.latencyLowRate, 60_000);
        results.monitorMemory.afterLowRate = await probe.signal();
        postgresAtEnd = await samplePostgres();
        cost.latencyLowRate = phaseCost(
          (await committedEvents()) - end,
          results.monitorMemory.afterThroughput,
          results.monitorMemory.afterLowRate,
          postgresActivity(postgres, postgresAtEnd),
        );
      } else results.monitorMemory.afterLowRate = await probe.signal();
      if (options.profile === 'd-low') {
        results.profile = await probe.profile();
        notes.push('the monitor ran under the V8 sampling profiler (500 us) during the low-rate pass');
      }
      mark('d');
      log(
        `d. latency at ${options.latencyRate} events/s (${options.warmupSeconds} s warm-up + ${options.latencySeconds} s)`,
      );
      const endBefore = await committedEvents();
      postgresAtStart = await samplePostgres();
      results.latency = await pass(options.latencyRate, 30_000);
      results.peakRssMb.afterLatency = mb(monitor.peakRssKb());
      results.monitorMemory.afterLatency = await probe.signal();
      cost.latency = phaseCost(
        (await committedEvents()) - endBefore,
        results.monitorMemory.afterLowRate,
        results.monitorMemory.afterLatency,
        postgresActivity(postgresAtStart, await samplePostgres()),
      );
      if (results.latency.backlogAtStop > options.latencyRate) {
        notes.push(
          `at ${options.latencyRate} events/s the monitor fell behind (${results.latency.backlogAtStop} events not committed when sending stopped): ` +
            'latency there grows with the length of the run; the low-rate pass shows the pipeline latency when it keeps up',
        );
      }
      if (mode !== 'windows')
        notes.push('d needs windows: without registered references no window row is written');
    }
    log('stopping the monitor');
    const code = await monitor.stop();
    if (code !== 0 && code !== null) notes.push(`the monitor exited with code ${code} on SIGTERM`);
  }

  if (!skipped('http')) {
    mark('f');
    log(`f. HTTP ingestion for ${options.httpSeconds} s`);
    results.http = await benchHttpIngest(api, apiKey, dataset, {
      batchSize: 100,
      bodies: 50,
      connections: options.httpConnections,
      seconds: options.httpSeconds,
    });
  }
  mark('end');
  results.targets = evaluateTargets(results, BENCH_STEP_MS);
  return results;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseBenchOptions(argv, process.env, REPO_ROOT);
  const work = mkdtempSync(join(tmpdir(), 'driftline-bench-'));
  const infra: Infrastructure = {
    kafka: null,
    postgres: null,
    database: null,
    services: [],
    producer: null,
    admin: null,
    progress: null,
  };
  const interrupted = (): void => {
    log('interrupted: cleaning up');
    void teardown(infra).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  let failed = false;
  try {
    const results = await run(options, infra, work);
    writeFileSync(options.output, `${JSON.stringify(results, null, 2)}\n`);
    console.log(resultsTable(results));
    if (results.profile) {
      const { busyMs, idleMs, threads = 1 } = results.profile;
      const who = threads === 1 ? 'main thread' : `${threads} threads (main and workers) together`;
      console.log(
        `\nmonitor CPU profile during ${options.profile === 'c' ? 'c' : 'the low-rate pass of d'}: ${who} busy ${(busyMs / 1000).toFixed(1)} s, idle ${(idleMs / 1000).toFixed(1)} s; self time by area and by function, share of busy:`,
      );
      for (const a of results.profile.areas)
        console.log(`  ${(a.share * 100).toFixed(1).padStart(5)}%  ${a.name}`);
      console.log('  top functions:');
      for (const f of results.profile.functions)
        console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`);
    }
    console.log(`\nwritten to ${options.output}`);
  } catch (error) {
    failed = true;
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    log(`service logs kept in ${work}`);
    process.exitCode = 1;
  } finally {
    process.removeListener('SIGINT', interrupted);
    await teardown(infra);
    if (process.env.BENCH_KEEP_WORK_DIR) log(`service logs and profiles kept in ${work}`);
    else if (!failed) rmSync(work, { recursive: true, force: true });
  }
}

void main();
