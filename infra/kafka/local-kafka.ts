import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, portIsFree } from '../net/free-port';
import { repoFile } from '../repo-files';

const execFileAsync = promisify(execFile);

/** Kafka release whose jars the local broker runs; keep in step with infra/kafka/pom.xml. */
export const KAFKA_VERSION = '3.9.2';

const COMPLETE_MARKER = '.driftline-complete.json';
const STARTED_LINE = 'Kafka Server started';
const LOCK_STALE_MS = 15 * 60_000;

/** The ports `npm run up` asks for, so the README's `127.0.0.1:9092` works as written. */
export const PREFERRED_KAFKA_PORTS = { port: 9092, controllerPort: 9093 } as const;

export interface LocalKafkaOptions {
  /** PLAINTEXT listener port; a free one when omitted. */
  port?: number;
  /** KRaft controller listener port; a free one when omitted. */
  controllerPort?: number;
  /**
   * Ports to take when both are free (and `port` / `controllerPort` are not given); otherwise, or
   * when the broker cannot bind them, free ones are picked as without this option.
   */
  preferredPorts?: { port: number; controllerPort: number };
  /** Kept after stop() and reused (not re-formatted) when it already holds a formatted log. */
  dataDir?: string;
  /** Broker stdout/stderr; defaults to kafka.log in the data dir. */
  logFile?: string;
  heapMb?: number;
  /** Default partition count for topics created without one. */
  numPartitions?: number;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface LocalKafka {
  /** bootstrap servers, `127.0.0.1:<port>` */
  brokers: string;
  port: number;
  controllerPort: number;
  /** The folder holding the log (`kraft-logs`); a temp one that stop() removes unless `dataDir` was given. */
  dataDir: string;
  /** The KRaft cluster id, written once when the folder was formatted. */
  clusterId: string;
  /** Whether this start formatted the folder (false: an earlier run's log was reused). */
  formatted: boolean;
  logFile: string;
  stop(): Promise<void>;
}

/** The root of Driftline's local state and caches: `~/.cache/driftline`. */
export function driftlineCacheDir(): string {
  return join(homedir(), '.cache', 'driftline');
}

/** Where the jars live: `DRIFTLINE_KAFKA_CACHE`, else `~/.cache/driftline/kafka-<version>/libs`. */
export function kafkaJarsDir(): string {
  const fromEnv = process.env.DRIFTLINE_KAFKA_CACHE;
  if (fromEnv) return resolve(fromEnv);
  return join(driftlineCacheDir(), `kafka-${KAFKA_VERSION}`, 'libs');
}

/** The broker data folder `npm run up` keeps across runs: `DRIFTLINE_KAFKA_DATA`, else `~/.cache/driftline/kafka-data`. */
export function localKafkaDataDir(): string {
  const fromEnv = process.env.DRIFTLINE_KAFKA_DATA;
  if (fromEnv) return resolve(fromEnv);
  return join(driftlineCacheDir(), 'kafka-data');
}

/** A file that ships beside this module in the source tree (infra/kafka), found from src or dist. */
export function kafkaInfraFile(name: string): string {
  return repoFile(`infra/kafka/${name}`);
}

/**
 * Copies the broker and tools jars from Maven Central into the cache once (mvn
 * dependency:copy-dependencies on infra/kafka/pom.xml) and returns the directory. Concurrent callers,
 * in this process or others, wait on a lock file and reuse the finished copy.
 */
export async function resolveKafkaJars(): Promise<string> {
  const dir = kafkaJarsDir();
  if (await isComplete(dir)) return dir;
  await mkdir(dirname(dir), { recursive: true });
  const release = await acquireLock(`${dir}.lock`);
  try {
    if (await isComplete(dir)) return dir;
    const staging = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await runMaven(staging);
      const jars = (await readdir(staging)).filter((f) => f.endsWith('.jar'));
      if (!jars.some((j) => j.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
        throw new Error(`maven produced no kafka_2.13-${KAFKA_VERSION} jar in ${staging}`);
      }
      await writeFile(
        join(staging, COMPLETE_MARKER),
        JSON.stringify({ version: KAFKA_VERSION, jars }, null, 2),
      );
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return dir;
  } finally {
    await release();
  }
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(dir, COMPLETE_MARKER), 'utf8')) as {
      version?: unknown;
      jars?: unknown;
    };
    if (marker.version !== KAFKA_VERSION || !Array.isArray(marker.jars) || marker.jars.length === 0)
      return false;
    return marker.jars.every((jar) => typeof jar === 'string' && existsSync(join(dir, jar)));
  } catch {
    return false;
  }
}

async function runMaven(outputDir: string): Promise<void> {
  const pom = kafkaInfraFile('pom.xml');
  const args = ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${outputDir}`];
  try {
    await execFileAsync('mvn', args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('mvn not found: install Maven (apt-get install -y maven) to fetch the Kafka jars');
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`mvn ${args.join(' ')} failed:\n${output}`);
  }
}

async function acquireLock(lockPath: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(lockPath).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStaleLock(lockPath)) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      await sleep(250);
    }
  }
}

async function isStaleLock(lockPath: string): Promise<boolean> {
  try {
    const [owner, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(owner);
    // An empty file is a lock whose owner has not written its pid yet.
    if (!Number.isInteger(pid) || pid <= 0) return false;
    return !isAlive(pid);
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A cluster id as Kafka's Uuid.randomUuid() makes it: 16 random bytes in URL-safe base64 without
 * padding, never starting with '-' (the CLI would read it as a flag).
 */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function serverProperties(p: {
  port: number;
  controllerPort: number;
  logDir: string;
  numPartitions: number;
}): string {
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${p.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${p.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': p.logDir,
    'num.partitions': p.numPartitions,
    'default.replication.factor': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': 'false',
    'delete.topic.enable': 'true',
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')
    .concat('\n');
}

function javaBinary(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function javaArgs(jarsDir: string, mainClass: string, extra: string[], heapMb?: number): string[] {
  const log4j = kafkaInfraFile('log4j.properties');
  return [
    ...(heapMb ? [`-Xmx${heapMb}m`, `-Xms${Math.min(heapMb, 256)}m`] : []),
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${log4j}`,
    '-cp',
    join(jarsDir, '*'),
    mainClass,
    ...extra,
  ];
}

async function formatStorage(jarsDir: string, workDir: string, propertiesFile: string): Promise<void> {
  const args = javaArgs(jarsDir, 'kafka.tools.StorageTool', [
    'format',
    '-t',
    randomClusterId(),
    '-c',
    propertiesFile,
  ]);
  try {
    await execFileAsync(javaBinary(), args, { cwd: workDir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(
        `${javaBinary()} not found: install a JRE 17+ (apt-get install -y openjdk-17-jre-headless)`,
      );
    throw new Error(
      `kafka StorageTool format failed:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
}

async function readClusterId(logDir: string): Promise<string> {
  const meta = await readFile(join(logDir, 'meta.properties'), 'utf8');
  const id = /^cluster\.id=(.+)$/m.exec(meta)?.[1]?.trim();
  if (!id) throw new Error(`no cluster.id in ${join(logDir, 'meta.properties')}`);
  return id;
}

/**
 * Starts a single-node KRaft broker (combined broker and controller) from the cached jars and
 * resolves once it logs "Kafka Server started". A data folder is formatted only when it holds no
 * meta.properties yet, so a given `dataDir` keeps its cluster id, topics and records. Ports are the
 * given ones, else the preferred ones when free, else free ones; a clash on picked ports (another
 * run grabbed one in between) is retried with new ones.
 */
export async function startLocalKafka(opts: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const jarsDir = await resolveKafkaJars();
  const portsGiven = opts.port !== undefined || opts.controllerPort !== undefined;
  const attempts = portsGiven ? 1 : 3;
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await startOnce(jarsDir, opts, attempt === 1 ? await freePreferred(opts) : undefined);
    } catch (error) {
      lastError = error as Error;
      if (!(error instanceof PortClashError)) throw error;
    }
  }
  throw lastError ?? new Error('kafka did not start');
}

class PortClashError extends Error {}

/** The preferred ports when both are free and no port is given. */
async function freePreferred(opts: LocalKafkaOptions): Promise<LocalKafkaOptions['preferredPorts']> {
  const preferred = opts.preferredPorts;
  if (!preferred || opts.port !== undefined || opts.controllerPort !== undefined) return undefined;
  const free = await Promise.all([portIsFree(preferred.port), portIsFree(preferred.controllerPort)]);
  return free.every(Boolean) ? preferred : undefined;
}

async function startOnce(
  jarsDir: string,
  opts: LocalKafkaOptions,
  preferred: LocalKafkaOptions['preferredPorts'],
): Promise<LocalKafka> {
  const port = opts.port ?? preferred?.port ?? (await freePort());
  let controllerPort = opts.controllerPort ?? preferred?.controllerPort ?? (await freePort());
  while (controllerPort === port) controllerPort = await freePort();

  const ownsDir = opts.dataDir === undefined;
  const baseDir = opts.dataDir ? resolve(opts.dataDir) : await mkdtemp(join(tmpdir(), 'driftline-kafka-'));
  await mkdir(baseDir, { recursive: true });
  const logDir = join(baseDir, 'kraft-logs');
  const propertiesFile = join(baseDir, 'server.properties');
  const logFile = opts.logFile ? resolve(opts.logFile) : join(baseDir, 'kafka.log');
  const cleanupDir = (): Promise<void> =>
    ownsDir ? rm(baseDir, { recursive: true, force: true }) : Promise.resolve();

  let child: ChildProcess;
  let clusterId: string;
  let formatted = false;
  try {
    await writeFile(
      propertiesFile,
      serverProperties({ port, controllerPort, logDir, numPartitions: opts.numPartitions ?? 1 }),
    );
    if (!existsSync(join(logDir, 'meta.properties'))) {
      await formatStorage(jarsDir, baseDir, propertiesFile);
      formatted = true;
    }
    clusterId = await readClusterId(logDir);
    await mkdir(dirname(logFile), { recursive: true });
    child = spawn(javaBinary(), javaArgs(jarsDir, 'kafka.Kafka', [propertiesFile], opts.heapMb ?? 512), {
      cwd: baseDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    await cleanupDir();
    throw error;
  }

  const log = createWriteStream(logFile, { flags: 'a' });
  const output = new OutputWatch(STARTED_LINE);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      if (!log.writableEnded) log.write(chunk);
      output.push(chunk.toString('utf8'));
    });
  }
  let spawnError: Error | undefined;
  // 'close' follows 'exit' once stdout/stderr are drained; a failed spawn emits 'error' instead.
  const closed = new Promise<void>((done) => {
    child.once('close', () => done());
    child.once('error', (error) => {
      spawnError = error;
      done();
    });
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    if (ownsDir) rmSync(baseDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const watchdog = child.pid ? spawnWatchdog(child.pid, ownsDir ? baseDir : undefined) : undefined;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timedOut = await Promise.race([
          closed.then(() => false),
          timer(opts.stopTimeoutMs ?? 20_000).then(() => true),
        ]);
        if (timedOut) child.kill('SIGKILL');
      }
      await closed;
      process.removeListener('exit', killOnExit);
      watchdog?.kill('SIGKILL');
      await new Promise<void>((done) => log.end(done));
      await cleanupDir();
    })();
    return stopping;
  };

  const timeoutMs = opts.startTimeoutMs ?? 90_000;
  const outcome = await Promise.race([
    output.found.then(() => 'started' as const),
    closed.then(() => 'exited' as const),
    timer(timeoutMs).then(() => 'timeout' as const),
  ]);
  if (outcome === 'started')
    return {
      brokers: `127.0.0.1:${port}`,
      port,
      controllerPort,
      dataDir: baseDir,
      clusterId,
      formatted,
      logFile,
      stop,
    };

  const tail = output.tail(30);
  const firstError = output.firstError();
  await stop();
  const where = `ports ${port}/${controllerPort}, log ${logFile}${ownsDir && !opts.logFile ? ' (removed)' : ''}`;
  if (spawnError) throw new Error(`could not run ${javaBinary()} (${spawnError.message}): install a JRE 17+`);
  if (outcome === 'exited' && /Address already in use|BindException/.test(firstError)) {
    throw new PortClashError(`kafka could not bind (${where}):\n${firstError}`);
  }
  const why =
    outcome === 'timeout'
      ? `did not log "${STARTED_LINE}" within ${timeoutMs} ms`
      : 'exited before it started';
  const error = firstError ? `First error:\n${firstError}\n` : '';
  throw new Error(`kafka ${why} (${where}). ${error}Last output:\n${tail}`);
}

/**
 * Kills the broker if this process dies without running its exit handlers (SIGKILL, a crash, an
 * unhandled signal): a shell that polls our pid and outlives us, then removes the temp dir.
 */
function spawnWatchdog(brokerPid: number, tempDir: string | undefined): ChildProcess | undefined {
  const script =
    'while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    'kill -0 "$0" 2>/dev/null && exit 0; ' +
    'kill -TERM "$1" 2>/dev/null; i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 15 ]; do sleep 1; i=$((i+1)); done; ' +
    'kill -KILL "$1" 2>/dev/null; [ -n "$2" ] && rm -rf -- "$2"; exit 0';
  try {
    const args = ['-c', script, String(process.pid), String(brokerPid), tempDir ?? ''];
    const watchdog = spawn('/bin/sh', args, { stdio: 'ignore' });
    watchdog.on('error', () => undefined);
    watchdog.unref();
    return watchdog;
  } catch {
    return undefined;
  }
}

/** Keeps the last lines of a child's output and notices a marker split across chunks. */
class OutputWatch {
  private text = '';
  private unscanned = '';
  private errorLines: string[] = [];
  private markFound!: () => void;
  readonly found = new Promise<void>((done) => (this.markFound = done));

  constructor(private readonly marker: string) {}

  push(chunk: string): void {
    const joined = this.text + chunk;
    if (joined.includes(this.marker)) this.markFound();
    this.text = joined.length > 64_000 ? joined.slice(-32_000) : joined;
    this.scanForError(chunk);
  }

  /** The first ERROR/FATAL entry and the lines after it (the exception), which a shutdown tail buries. */
  firstError(): string {
    return this.errorLines.join('\n');
  }

  tail(lines: number): string {
    return this.text.trimEnd().split('\n').slice(-lines).join('\n');
  }

  private scanForError(chunk: string): void {
    if (this.errorLines.length >= 6) return;
    const lines = (this.unscanned + chunk).split('\n');
    this.unscanned = lines.pop() ?? '';
    for (const line of lines) {
      if (this.errorLines.length > 0 || /\] (ERROR|FATAL) /.test(line)) this.errorLines.push(line);
      if (this.errorLines.length >= 6) return;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Like sleep, but does not keep the process alive on its own. */
function timer(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}
