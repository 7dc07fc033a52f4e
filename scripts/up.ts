import { dirname, join } from 'node:path';
import {
  localKafkaDataDir,
  PREFERRED_KAFKA_PORTS,
  startLocalKafka,
  type LocalKafka,
} from '../infra/kafka/local-kafka';
import { SERVICE_NODE_FLAGS } from '../infra/node/service-node-flags';
import { resolvePostgres, type PostgresServer } from '../infra/postgres/local-postgres';
import { repoFile } from '../infra/repo-files';
import {
  ARRIVALS_QUERY,
  clearLocalState,
  ensureDatabase,
  stateOfDatabaseUrl,
  type LocalState,
} from './local-state';
import { alertsOnceReady, demoServiceEnv } from './demo-alerts';
import { startDemoReceivers, type DemoReceivers } from './demo-receivers';
import { hidePassword } from './log.formatter';
import { ProcessGroup } from './process.group';
import { adminKeyForRun, createReadKey } from './up.keys';

const SERVICES = ['api', 'monitor', 'notifier', 'dispatcher'] as const;
const DATABASE_NAME = 'driftline';

interface UpOptions {
  demo: boolean;
  /** Clear the broker's data folder and the database before starting. */
  fresh: boolean;
  demoArgs: string[];
}

function parseArgs(argv: string[]): UpOptions {
  const own = ['--demo', '--fresh'];
  return {
    demo: argv.includes('--demo'),
    fresh: argv.includes('--fresh'),
    demoArgs: argv.filter((a) => !own.includes(a)),
  };
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/** Where `npm run up` keeps its state this run, and the embedded Postgres it started, if any. */
async function resolveState(): Promise<{ state: LocalState; postgres?: PostgresServer }> {
  const ownBroker = !process.env.KAFKA_BROKERS;
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    const kafkaDataDir = ownBroker ? localKafkaDataDir() : undefined;
    return { state: { ...stateOfDatabaseUrl(fromEnv), kafkaDataDir } };
  }
  const postgres = await resolvePostgres();
  // An embedded server's database lasts one run; a broker that outlived it would be ahead of it.
  const kafkaDataDir = ownBroker && postgres.source !== 'embedded' ? localKafkaDataDir() : undefined;
  return { state: { adminUrl: postgres.adminUrl, database: DATABASE_NAME, kafkaDataDir }, postgres };
}

function describeServer(adminUrl: string): string {
  const url = new URL(adminUrl);
  return `${url.hostname}:${url.port || '5432'}`;
}

/** Says where Kafka went and what it kept, so clients in other terminals can find it. */
function reportKafka(kafka: LocalKafka, kept: boolean): void {
  console.log(`[up] kafka on ${kafka.brokers} (controller ${kafka.controllerPort}; log: ${kafka.logFile})`);
  const preferred = PREFERRED_KAFKA_PORTS;
  if (kafka.port !== preferred.port || kafka.controllerPort !== preferred.controllerPort) {
    console.log(
      `[up] NOTE: port ${preferred.port} or ${preferred.controllerPort} of 127.0.0.1 was in use, so Kafka listens on ` +
        `${kafka.brokers}, not 127.0.0.1:${preferred.port}: in other terminals use KAFKA_BROKERS=${kafka.brokers}`,
    );
  }
  if (!kept) {
    console.log(`[up] kafka data: ${kafka.dataDir} (this run only: the database is embedded)`);
  } else {
    const how = kafka.formatted ? 'new cluster' : 'reused: its topics and records carry on';
    console.log(`[up] kafka data: ${kafka.dataDir} (cluster ${kafka.clusterId}, ${how})`);
  }
}

/**
 * `npm run up`: a local Kafka broker and Postgres (unless KAFKA_BROKERS / DATABASE_URL say where
 * they are) and the four built services, in the foreground. Ctrl-C stops all it started. The
 * broker's data folder (~/.cache/driftline/kafka-data) and the database outlive the run together;
 * `--fresh` clears both first.
 */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const root = dirname(repoFile('package.json'));
  let kafka: LocalKafka | undefined;
  let postgres: PostgresServer | undefined;
  let receivers: DemoReceivers | undefined;
  let revokeReadKey: (() => Promise<void>) | undefined;
  let shuttingDown: Promise<void> | undefined;
  const group = new ProcessGroup((name, code) => {
    if (name === 'demo' && code === 0)
      return console.log('[up] demo producer finished; services keep running');
    console.error(`[up] ${name} exited with code ${code}; stopping everything`);
    void shutdown(1);
  });

  const shutdown = (code: number): Promise<void> =>
    (shuttingDown ??= (async () => {
      await revokeReadKey?.().catch(() => undefined);
      console.log('[up] stopping services...');
      await group.stopAll();
      await receivers?.close();
      if (kafka) {
        console.log('[up] stopping Kafka...');
        await kafka.stop().catch((e: unknown) => console.error(`[up] kafka stop: ${String(e)}`));
      }
      await postgres?.stop().catch((e: unknown) => console.error(`[up] postgres stop: ${String(e)}`));
      console.log('[up] stopped');
      process.exit(code);
    })());
  process.on('exit', () => group.killAll());
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const resolved = await resolveState();
    const state = resolved.state;
    postgres = resolved.postgres;
    if (options.fresh) {
      const folder = state.kafkaDataDir ? `the Kafka data folder ${state.kafkaDataDir} and ` : '';
      console.log(
        `[up] --fresh: removing ${folder}database ${state.database} on ${describeServer(state.adminUrl)}`,
      );
      if (process.env.KAFKA_BROKERS)
        console.log(`[up] --fresh: the broker at KAFKA_BROKERS=${process.env.KAFKA_BROKERS} is not cleared`);
      await clearLocalState(state);
    }
    const database = process.env.DATABASE_URL && !options.fresh ? undefined : await ensureDatabase(state);
    const dbUrl = process.env.DATABASE_URL ?? database?.url ?? '';
    console.log(`[up] postgres: ${hidePassword(dbUrl)} (${postgres?.source ?? 'DATABASE_URL'})`);

    let brokers = process.env.KAFKA_BROKERS;
    if (!brokers) {
      console.log('[up] starting a local Kafka broker (first run downloads the jars from Maven Central)...');
      kafka = await startLocalKafka({ dataDir: state.kafkaDataDir, preferredPorts: PREFERRED_KAFKA_PORTS });
      brokers = kafka.brokers;
      reportKafka(kafka, state.kafkaDataDir !== undefined);
      if (kafka.formatted && state.kafkaDataDir && database?.created === false) {
        console.warn(
          `[up] WARNING: the Kafka data folder is new but database ${state.database} is not: its stored ` +
            'offsets are of another broker. `npm run up -- --fresh` starts both afresh.',
        );
      }
    }

    const apiPort = process.env.API_PORT ?? '8080';
    const api = `http://127.0.0.1:${apiPort}`;
    const admin = adminKeyForRun(process.env);
    let env: NodeJS.ProcessEnv = { ...process.env, KAFKA_BROKERS: brokers, DATABASE_URL: dbUrl };
    // the demo producer calls the api with DRIFTLINE_API_KEY
    if (admin) env = { ...env, DRIFTLINE_ADMIN_KEY: admin.key, DRIFTLINE_API_KEY: admin.key };
    if (options.demo) {
      receivers = await startDemoReceivers(process.env, (name, line) => console.log(`[${name}] ${line}`));
      env = { ...env, ...demoServiceEnv(process.env, receivers, api) };
    }
    // The api migrates the database first, so the others do not wait on its advisory lock in turn.
    for (const name of SERVICES) {
      group.start(
        name,
        process.execPath,
        [...SERVICE_NODE_FLAGS, join(root, 'dist', 'services', name, 'src', 'main.js')],
        env,
      );
    }
    await waitForReady(`${api}/readyz`, 120_000);
    console.log(`[up] ready: POST ${api}/v1/predictions — Ctrl-C stops everything`);
    if (admin) {
      const origin = admin.generated
        ? 'generated for this run; set DRIFTLINE_ADMIN_KEY to choose it'
        : 'DRIFTLINE_ADMIN_KEY';
      console.log(`[up] admin API key (${origin}): ${admin.key}`);
      console.log(`[up] in another terminal: export DRIFTLINE_API_KEY='${admin.key}'`);
      const read = await createReadKey(api, admin.key);
      revokeReadKey = read.revoke;
      console.log(`[up] read-only API key for the dashboard (revoked when this run stops): ${read.secret}`);
    } else {
      console.warn(
        '[up] WARNING: DRIFTLINE_AUTH=off: the api checks no key, anyone who reaches it can use it',
      );
    }
    console.log(`[up] dashboard: ${api}/ (log in with an API key)`);
    console.log(`[up] see what the monitor stored: psql '${dbUrl}' -c "${ARRIVALS_QUERY}"`);
    if (options.demo && receivers) {
      const onLine = alertsOnceReady(
        api,
        receivers.pipeline,
        (line) => console.log(`[alerts] ${line}`),
        admin?.key,
      );
      const producer = join(root, 'dist', 'scripts', 'demo-producer.js');
      group.start('demo', process.execPath, [producer, '--api', api, ...options.demoArgs], env, onLine);
    }
  } catch (error) {
    console.error(`[up] ${(error as Error).message}`);
    await shutdown(1);
  }
}

void main();
