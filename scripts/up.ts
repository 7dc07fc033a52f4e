import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { startLocalKafka, type LocalKafka } from '../infra/kafka/local-kafka';
import { databaseUrl, resolvePostgres, type PostgresServer } from '../infra/postgres/local-postgres';
import { ProcessGroup } from './process.group';

const SERVICES = ['api', 'monitor', 'notifier', 'dispatcher'] as const;
const DATABASE_NAME = 'driftline';

interface UpOptions {
  demo: boolean;
  demoArgs: string[];
}

function parseArgs(argv: string[]): UpOptions {
  const demo = argv.includes('--demo');
  return { demo, demoArgs: argv.filter((a) => a !== '--demo') };
}

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = resolve(dir, '..');
  return dir;
}

async function ensureDatabase(adminUrl: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, DATABASE_NAME);
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

/**
 * `npm run up`: a local Kafka broker and Postgres (unless KAFKA_BROKERS / DATABASE_URL say where
 * they are) and the four built services, in the foreground. Ctrl-C stops all it started.
 */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const root = repoRoot();
  let kafka: LocalKafka | undefined;
  let postgres: PostgresServer | undefined;
  let shuttingDown: Promise<void> | undefined;
  const group = new ProcessGroup((name, code) => {
    if (name === 'demo' && code === 0)
      return console.log('[up] demo producer finished; services keep running');
    console.error(`[up] ${name} exited with code ${code}; stopping everything`);
    void shutdown(1);
  });

  const shutdown = (code: number): Promise<void> =>
    (shuttingDown ??= (async () => {
      console.log('[up] stopping services...');
      await group.stopAll();
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
    let brokers = process.env.KAFKA_BROKERS;
    if (!brokers) {
      console.log('[up] starting a local Kafka broker (first run downloads the jars from Maven Central)...');
      kafka = await startLocalKafka();
      brokers = kafka.brokers;
      console.log(`[up] kafka on ${brokers} (log: ${kafka.logFile})`);
    }
    let dbUrl = process.env.DATABASE_URL;
    if (!dbUrl) {
      postgres = await resolvePostgres();
      dbUrl = await ensureDatabase(postgres.adminUrl);
    }
    console.log(
      `[up] postgres: ${dbUrl.replace(/:[^:@/]+@/, ':***@')} (${postgres?.source ?? 'DATABASE_URL'})`,
    );

    const env = { ...process.env, KAFKA_BROKERS: brokers, DATABASE_URL: dbUrl };
    // The api migrates the database first, so the others do not wait on its advisory lock in turn.
    for (const name of SERVICES) {
      group.start(name, process.execPath, [join(root, 'dist', 'services', name, 'src', 'main.js')], env);
    }
    const apiPort = process.env.API_PORT ?? '8080';
    await waitForReady(`http://127.0.0.1:${apiPort}/readyz`, 120_000);
    console.log(`[up] ready: POST http://127.0.0.1:${apiPort}/v1/predictions — Ctrl-C stops everything`);
    console.log(
      `[up] see what the monitor stored: psql '${dbUrl}' -c "SELECT model_id, window_start, feature, metric, value FROM metric_points ORDER BY window_start DESC, model_id, metric, feature LIMIT 30"`,
    );
    if (options.demo) {
      group.start(
        'demo',
        process.execPath,
        [
          join(root, 'dist', 'scripts', 'demo-producer.js'),
          '--api',
          `http://127.0.0.1:${apiPort}`,
          ...options.demoArgs,
        ],
        env,
      );
    }
  } catch (error) {
    console.error(`[up] ${(error as Error).message}`);
    await shutdown(1);
  }
}

void main();
