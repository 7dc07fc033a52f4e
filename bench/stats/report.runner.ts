import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'cli', 'bin', 'driftline.js');
const TIME = '/usr/bin/time';

export interface Measured {
  seconds: number;
  cpuSeconds: number | null;
  peakRssMb: number | null;
  code: number | null;
  stderr: string;
}

export function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Runs the CLI as a child process; peak RSS from GNU time -v, else from the CLI's DRIFTLINE_PEAK_RSS line. */
export function runReport(args: string[]): Promise<Measured> {
  const gnuTime = existsSync(TIME);
  const command = gnuTime ? TIME : process.execPath;
  const argv = gnuTime ? ['-v', process.execPath, CLI, ...args] : [CLI, ...args];
  const started = process.hrtime.bigint();
  const child = spawn(command, argv, { env: { ...process.env, DRIFTLINE_PEAK_RSS: gnuTime ? '' : '1' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const elapsed = seconds(started);
      const kb =
        /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) ?? /peak RSS (\d+) kB/.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const cpuSeconds = user && system ? Number(user[1]) + Number(system[1]) : null;
      resolve({ seconds: elapsed, cpuSeconds, peakRssMb: kb ? Number(kb[1]) / 1024 : null, code, stderr });
    });
  });
}
