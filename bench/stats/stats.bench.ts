/**
 * `npm run bench:stats`: a seeded 300,000 x 100 reference and a 30,000-row current (70 numeric and
 * 30 categorical columns, 15 of them drifted), then the wall time and peak RSS of `driftline
 * report` on them as a child process, and the sketched path of libs/stats on the same rows; then
 * `driftline report --method wasserstein` on 100 numeric columns side by side with SciPy.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateDrift, ReferenceProfile, ReferenceProfileBuilder } from '@driftline/stats';
import { writeDatasetCsv } from './csv.writer';
import { BENCH_SPEC, DriftDataset } from './drift-dataset.generator';
import { runReport, seconds } from './report.runner';
import { benchAgainstSciPy } from './scipy.side-by-side';

const REFERENCE_ROWS = Number(process.env.BENCH_REFERENCE_ROWS ?? 300_000);
const CURRENT_ROWS = Number(process.env.BENCH_CURRENT_ROWS ?? 30_000);
const REFERENCE_SEED = 20261123;
const CURRENT_SEED = 20261124;

/** Wall and CPU (user + system) seconds of `work`: on a shared machine the CPU figure is the steadier one. */
function timed<T>(work: () => T): { value: T; wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const value = work();
  const used = process.cpuUsage(cpu);
  return { value, wall: seconds(started), cpu: (used.user + used.system) / 1e6 };
}

function times(t: { wall: number; cpu: number }): string {
  return `${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU`;
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

async function benchCli(reference: string, current: string, dir: string): Promise<void> {
  for (const format of ['json', 'html']) {
    const output = join(dir, `report.${format}`);
    const files = ['--reference', reference, '--current', current];
    const run = await runReport(['report', ...files, '--format', format, '--output', output]);
    if (run.code !== 0) throw new Error(`driftline report exited ${run.code}: ${run.stderr.split('\n')[0]}`);
    const rss = run.peakRssMb === null ? 'unknown' : `${run.peakRssMb.toFixed(0)} MB`;
    const cpu = run.cpuSeconds === null ? '' : `, ${run.cpuSeconds.toFixed(2)} s CPU`;
    const size = mb(statSync(output).size);
    console.log(
      `driftline report --format ${format}: ${run.seconds.toFixed(2)} s wall${cpu}, peak RSS ${rss}, output ${size}`,
    );
    if (format === 'json') {
      const drift = JSON.parse(readFileSync(output, 'utf8')).drift;
      const drifted = drift.columns
        .filter((c: { drifted: boolean }) => c.drifted)
        .map((c: { column: string }) => c.column);
      console.log(`  drifted ${drift.driftedColumns} of ${drift.totalColumns}: ${drifted.join(' ')}`);
    }
  }
}

function benchSketched(): void {
  const generating = new DriftDataset(BENCH_SPEC, REFERENCE_SEED, false);
  const generation = timed(() => {
    for (let i = 0; i < REFERENCE_ROWS; i++) generating.nextRow();
  });
  const reference = new DriftDataset(BENCH_SPEC, REFERENCE_SEED, false);
  const build = timed(() => {
    const builder = new ReferenceProfileBuilder();
    for (let i = 0; i < REFERENCE_ROWS; i++) builder.add(reference.nextRow());
    return builder.build();
  });
  const profileJson = JSON.stringify(build.value.toJSON());
  console.log(
    `sketched: reference profile of ${REFERENCE_ROWS} rows built in ${times(build)} ` +
      `(generating the rows alone: ${times(generation)}), profile JSON ${mb(profileJson.length)}`,
  );

  const profile = ReferenceProfile.fromJSON(JSON.parse(profileJson));
  const current = new DriftDataset(BENCH_SPEC, CURRENT_SEED, true);
  const window = profile.newWindow();
  const fill = timed(() => {
    for (let i = 0; i < CURRENT_ROWS; i++) ReferenceProfile.updateWindow(window, current.nextRow());
  });
  const evaluation = timed(() => evaluateDrift(profile, window));
  const drifted = evaluation.value.filter((r) => r.drifted).length;
  console.log(
    `sketched: window of ${CURRENT_ROWS} rows summarised in ${times(fill)}, evaluated in ${times(evaluation)} ` +
      `(${drifted} of ${evaluation.value.length} columns drifted)`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-'));
  try {
    const reference = join(dir, 'reference.csv');
    const current = join(dir, 'current.csv');
    const started = process.hrtime.bigint();
    await writeDatasetCsv(reference, new DriftDataset(BENCH_SPEC, REFERENCE_SEED, false), REFERENCE_ROWS);
    await writeDatasetCsv(current, new DriftDataset(BENCH_SPEC, CURRENT_SEED, true), CURRENT_ROWS);
    const columns = BENCH_SPEC.numericColumns + BENCH_SPEC.categoricalColumns;
    console.log(
      `data: reference ${REFERENCE_ROWS} x ${columns} (${mb(statSync(reference).size)}), current ${CURRENT_ROWS} rows ` +
        `(${mb(statSync(current).size)}), written in ${seconds(started).toFixed(1)} s to ${dir}`,
    );
    console.log(
      `expected drifted: ${BENCH_SPEC.driftedNumeric} numeric and ${BENCH_SPEC.driftedCategorical} categorical columns`,
    );
    await benchCli(reference, current, dir);
    benchSketched();
    await benchAgainstSciPy(dir, REFERENCE_ROWS, CURRENT_ROWS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
