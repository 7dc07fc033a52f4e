import { topicNames } from '@driftline/contracts';
import {
  createIsolatedDatabase,
  createTopics,
  TEST_ADMIN_KEY,
  TEST_AUTHORIZATION,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { freePort } from '../../infra/net/free-port';

export const REPO_ROOT = resolve(__dirname, '../..');
const DIST = join(REPO_ROOT, 'dist');

export interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

/** Runs a built script (`dist/<path>`) with node, collecting its output. */
export function runBuilt(path: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  let output = '';
  const child = spawn(process.execPath, [join(DIST, path), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { process: child, output: () => output, exited: once(child, 'exit') };
}

/** Runs a built script to its end; rejects with its output when it fails. */
export async function runBuiltToEnd(
  path: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  const child = runBuilt(path, args, env);
  const [code] = (await child.exited) as [number | null];
  if (code !== 0) throw new Error(`${path} exited with ${code}:\n${child.output()}`);
  return child.output();
}

/**
 * The api and the monitor as a newcomer runs them (`node dist/services/<name>/src/main.js`), on a
 * database of their own and their own topic prefix on the test broker.
 */
export class E2eStack {
  private readonly children: Child[] = [];
  /** Base URL of each started service, e.g. `http://127.0.0.1:41234` for the monitor. */
  readonly urls: Partial<Record<'api' | 'monitor' | 'notifier' | 'dispatcher', string>> = {};

  private constructor(
    readonly api: string,
    /** Put in front of every topic name (KAFKA_TOPIC_PREFIX). */
    readonly topicPrefix: string,
    private readonly database: IsolatedDatabase,
  ) {}

  /**
   * `services` beyond the api and the monitor (the notifier, the dispatcher) start too, and `extra`
   * is added to every service's environment.
   */
  static async start(
    options: { services?: ('notifier' | 'dispatcher')[]; env?: NodeJS.ProcessEnv } = {},
  ): Promise<E2eStack> {
    const database = await createIsolatedDatabase();
    const prefix = `${uniqueName('e2e')}.`;
    await createTopics(testKafkaBrokers(), Object.values(topicNames(prefix)), 3);
    const [apiPort, monitorPort] = [await freePort(), await freePort()];
    const stack = new E2eStack(`http://127.0.0.1:${apiPort}`, prefix, database);
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testKafkaBrokers(),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_PARTITIONS: '3',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      DATABASE_POOL_SIZE: '4',
      LOG_LEVEL: 'warn',
      API_PORT: String(apiPort),
      MONITOR_PORT: String(monitorPort),
      DRIFTLINE_ADMIN_KEY: TEST_ADMIN_KEY,
      ...options.env,
    };
    // The api migrates the database; the monitor starts once it is ready.
    await stack.startService('api', env, `${stack.api}/readyz`);
    await stack.startService('monitor', env, `http://127.0.0.1:${monitorPort}/readyz`);
    for (const name of options.services ?? []) {
      const port = await freePort();
      const variable = name === 'notifier' ? 'NOTIFIER_PORT' : 'DISPATCHER_PORT';
      await stack.startService(name, { ...env, [variable]: String(port) }, `http://127.0.0.1:${port}/readyz`);
    }
    return stack;
  }

  private async startService(
    name: keyof E2eStack['urls'],
    env: NodeJS.ProcessEnv,
    readyz: string,
  ): Promise<void> {
    this.urls[name] = readyz.replace(/\/readyz$/, '');
    const child = runBuilt(`services/${name}/src/main.js`, [], env);
    this.children.push(child);
    await waitFor(
      async () => {
        if (child.process.exitCode !== null) throw new Error(`${name} exited:\n${child.output()}`);
        return (await fetch(readyz)).status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200, message: `${name} ready` },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${child.output()}`);
    });
  }

  /** The bootstrap admin key the api runs with (DRIFTLINE_ADMIN_KEY). */
  get adminKey(): string {
    return TEST_ADMIN_KEY;
  }

  /** `fetch(api + path)` with the admin key, unless `init` sets Authorization itself. */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', TEST_AUTHORIZATION);
    return fetch(`${this.api}${path}`, { ...init, headers });
  }

  /** The stack's own database, for reading what the monitor stored. */
  get databaseUrl(): string {
    return this.database.url;
  }

  output(): string {
    return this.children.map((c) => c.output()).join('\n');
  }

  async stop(): Promise<void> {
    for (const child of this.children) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGTERM');
        await child.exited;
      }
    }
    await this.database.drop();
  }
}
