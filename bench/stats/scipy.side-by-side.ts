/**
 * `driftline report --method wasserstein` (CSV parsing included) against SciPy's
 * `wasserstein_distance` loop on the same data already in memory (scipy-wasserstein.py), run
 * interleaved in one process tree so both see the same machine load; target: report ≤ SciPy.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gitRevision } from '../git.revision';
import { writeDatasetCsv } from './csv.writer';
import { DriftDataset, type DriftDatasetSpec } from './drift-dataset.generator';
import { runReport, type Measured } from './report.runner';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(REPO_ROOT, 'bench', 'stats', 'scipy-wasserstein.py');
const RESULTS = join(REPO_ROOT, 'bench', 'stats-results.json');
const ROUNDS = Number(process.env.BENCH_SCIPY_ROUNDS ?? 3);
/** A pyenv or venv python3 may come first on PATH without SciPy; Debian's python3-scipy is /usr/bin's. */
const PYTHONS = ['python3', '/usr/bin/python3'];

export const NUMERIC_SPEC: DriftDatasetSpec = {
  numericColumns: 100,
  categoricalColumns: 0,
  driftedNumeric: 10,
  driftedCategorical: 0,
};

interface SciPyRun {
  scipy: string;
  numpy: string;
  loadSeconds: number;
  loadCpuSeconds: number;
  computeSeconds: number;
  computeCpuSeconds: number;
  statistics: Record<string, number>;
}

/** The first python3 that imports numpy and scipy, or undefined. */
function findPython(): string | undefined {
  return PYTHONS.find((python) => {
    try {
      execFileSync(python, ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

function runSciPy(python: string, reference: string, current: string): Promise<SciPyRun> {
  return new Promise((resolve, reject) => {
    execFile(python, [SCRIPT, reference, current], { maxBuffer: 1 << 24 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as SciPyRun);
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Largest relative difference between the report's statistics and SciPy's (STATS.md: ≤ 1e-9). */
function largestDifference(reportJson: string, scipy: SciPyRun): number {
  const columns = (JSON.parse(reportJson) as { drift: { columns: { column: string; statistic: number }[] } })
    .drift.columns;
  return Math.max(
    ...columns.map(
      (c) => Math.abs(c.statistic - scipy.statistics[c.column]) / Math.abs(scipy.statistics[c.column]),
    ),
  );
}

function reportLine(run: Measured): string {
  const cpu = run.cpuSeconds === null ? '' : `, ${run.cpuSeconds.toFixed(2)} s CPU`;
  const rss = run.peakRssMb === null ? '' : `, peak RSS ${run.peakRssMb.toFixed(0)} MB`;
  return `${run.seconds.toFixed(2)} s wall${cpu}${rss}`;
}

/** Writes the numeric data set, runs both sides `ROUNDS` times interleaved, prints and records the ratio. */
export async function benchAgainstSciPy(
  dir: string,
  referenceRows: number,
  currentRows: number,
): Promise<void> {
  const python = findPython();
  if (python === undefined) {
    console.log(
      `SciPy side by side: skipped, no python3 with numpy and scipy (tried ${PYTHONS.join(', ')}; ` +
        'Debian: apt-get install python3-scipy python3-numpy)',
    );
    return;
  }
  const reference = join(dir, 'numeric-reference.csv');
  const current = join(dir, 'numeric-current.csv');
  await writeDatasetCsv(reference, new DriftDataset(NUMERIC_SPEC, 20261125, false), referenceRows);
  await writeDatasetCsv(current, new DriftDataset(NUMERIC_SPEC, 20261126, true), currentRows);
  const output = join(dir, 'numeric-report.json');
  const args = ['report', '--reference', reference, '--current', current, '--method', 'wasserstein'];
  const reports: Measured[] = [];
  const scipys: SciPyRun[] = [];
  const loads: number[][] = [];
  console.log(
    `SciPy side by side (${python}): ${referenceRows} x ${NUMERIC_SPEC.numericColumns} numeric columns against ` +
      `${currentRows}, ${ROUNDS} interleaved rounds`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    loads.push(loadavg());
    const run = await runReport([...args, '--format', 'json', '--output', output]);
    if (run.code !== 0) throw new Error(`driftline report exited ${run.code}: ${run.stderr.split('\n')[0]}`);
    const scipy = await runSciPy(python, reference, current);
    reports.push(run);
    scipys.push(scipy);
    console.log(
      `  round ${round + 1}: driftline report ${reportLine(run)}; SciPy compute ${scipy.computeSeconds.toFixed(2)} s ` +
        `wall, ${scipy.computeCpuSeconds.toFixed(2)} s CPU (numpy loadtxt apart: ${scipy.loadSeconds.toFixed(2)} s); ` +
        `ratio ${(run.seconds / scipy.computeSeconds).toFixed(2)}`,
    );
  }
  const difference = largestDifference(readFileSync(output, 'utf8'), scipys[0]);
  const report = {
    wall: median(reports.map((r) => r.seconds)),
    cpu: median(reports.map((r) => r.cpuSeconds ?? NaN)),
  };
  const scipy = {
    wall: median(scipys.map((s) => s.computeSeconds)),
    cpu: median(scipys.map((s) => s.computeCpuSeconds)),
  };
  // each round's two runs saw the same load: the median of the rounds' ratios is the fair figure
  const ratios = reports.map((r, i) => r.seconds / scipys[i].computeSeconds);
  const ratio = median(ratios);
  console.log(
    `  median: report ${report.wall.toFixed(2)} s wall (${report.cpu.toFixed(2)} s CPU), SciPy compute ` +
      `${scipy.wall.toFixed(2)} s wall (${scipy.cpu.toFixed(2)} s CPU); median of the rounds' ratios ${ratio.toFixed(2)} ` +
      `(target ≤ 1: ${ratio <= 1 ? 'met' : 'missed'}); statistics agree with SciPy to ${difference.toExponential(1)} relative`,
  );
  const revision = gitRevision(REPO_ROOT);
  const results = {
    machine: {
      date: new Date().toISOString(),
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      python,
      scipy: scipys[0].scipy,
      numpy: scipys[0].numpy,
      gitCommit: revision.commit,
      gitDirty: revision.dirty,
      gitChanges: revision.changes,
      loadAverage: loads,
    },
    data: { referenceRows, currentRows, numericColumns: NUMERIC_SPEC.numericColumns },
    reportVsSciPy: {
      target: 'driftline report wall ≤ SciPy compute wall (same run)',
      ratio,
      ratioIs: "median over rounds of report wall / SciPy compute wall, each round's runs back to back",
      met: ratio <= 1,
      reportSeconds: report.wall,
      reportCpuSeconds: report.cpu,
      reportPeakRssMb: median(reports.map((r) => r.peakRssMb ?? NaN)),
      scipyComputeSeconds: scipy.wall,
      scipyComputeCpuSeconds: scipy.cpu,
      scipyLoadSeconds: median(scipys.map((s) => s.loadSeconds)),
      largestRelativeDifference: difference,
      rounds: reports.map((r, i) => ({
        ratio: ratios[i],
        reportSeconds: r.seconds,
        reportCpuSeconds: r.cpuSeconds,
        scipyComputeSeconds: scipys[i].computeSeconds,
        scipyComputeCpuSeconds: scipys[i].computeCpuSeconds,
      })),
    },
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `  recorded in bench/stats-results.json at ${revision.commit?.slice(0, 7) ?? 'unknown commit'}`,
  );
}
