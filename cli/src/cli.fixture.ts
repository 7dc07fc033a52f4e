import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main';

/** Test-only: the SciPy-computed worked cases, kept beside the CLI (the same cases as libs/stats/src/report). */
export const ORACLE_DIR = join(__dirname, '__fixtures__', 'oracle-examples');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Test-only: runs `driftline` in-process with captured output. */
export async function runCli(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** Test-only: a port nothing listens on: one the system just handed out and took back. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Test-only: a fresh directory under the system temp folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'driftline-cli-'));
}

/** Test-only: writes `lines` (joined with newlines) as a CSV file in `dir` and returns its path. */
export function writeCsv(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Test-only: writes `values` as one JSON object per line in `dir` and returns its path. */
export function writeJsonl(dir: string, name: string, values: unknown[]): string {
  return writeCsv(
    dir,
    name,
    values.map((v) => JSON.stringify(v)),
  );
}

/** STATS.md agreement: statistic to 1e-9 relative; p to 1e-6 absolute or 1e-4 relative, whichever is looser. */
export function agrees(actual: number | null, expected: number, kind: 'statistic' | 'pValue'): boolean {
  if (actual === null) return false;
  const diff = Math.abs(actual - expected);
  if (kind === 'statistic') return diff <= 1e-9 * Math.abs(expected) || diff === 0;
  return diff <= 1e-6 || diff <= 1e-4 * Math.abs(expected);
}
