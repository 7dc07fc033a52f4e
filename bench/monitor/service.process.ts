import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '../../infra/node/service-node-flags';

export type BenchService = 'api' | 'monitor';

export interface RunningService {
  name: BenchService;
  pid: number;
  url: string;
  logFile: string;
  /** Peak resident set size so far (VmHWM of /proc/<pid>/status), in kB; null once exited or off Linux. */
  peakRssKb(): number | null;
  /** Current resident set size (VmRSS), in kB. */
  rssKb(): number | null;
  /** SIGTERM (SIGKILL after 20 s); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The built entry point, dist/services/<name>/src/main.js, from dist/bench/monitor. */
export function serviceEntry(name: BenchService): string {
  return join(__dirname, '..', '..', 'services', name, 'src', 'main.js');
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

async function waitReady(
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${url}: the service exited (${child.exitCode ?? child.signalCode}) before it was ready; see ${logFile}`,
      );
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`${url}/readyz did not answer 200 within ${timeoutMs} ms; see ${logFile}`);
}

/**
 * Starts a built service as `node SERVICE_NODE_FLAGS [nodeArgs] dist/services/<name>/src/main.js`
 * (as every start of a service does; a later flag overrides, e.g. `--memory-reducer`) with `env` on top of
 * this process's environment, its output to `logFile`, and waits for /readyz to answer 200.
 */
export async function startService(
  name: BenchService,
  port: number,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: string[] = [],
): Promise<RunningService> {
  const entry = serviceEntry(name);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...nodeArgs, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid;
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killOnExit);
    log.end();
    return child.exitCode;
  };
  if (pid === undefined) throw new Error(`could not start ${entry}`);
  try {
    await waitReady(url, child, logFile, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name,
    pid,
    url,
    logFile,
    peakRssKb: () => procStatus(pid, 'VmHWM'),
    rssKb: () => procStatus(pid, 'VmRSS'),
    stop,
  };
}
