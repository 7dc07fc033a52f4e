import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { agrees, ORACLE_DIR, runCli, tempDir, writeCsv } from './cli.fixture';

// The built program, exactly as a user runs it (`npm test` builds before jest).
const BIN = join(__dirname, '..', 'bin', 'driftline.js');
const BUILT = join(__dirname, '..', '..', 'dist', 'cli', 'src', 'main.js');

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

function driftline(args: string[]): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const oracle = (name: string, file: string) => join(ORACLE_DIR, name, file);
const expected = (name: string) => JSON.parse(readFileSync(oracle(name, 'expected.json'), 'utf8'));

describe('driftline as a child process', () => {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
  });

  it.each([
    ['drift-small', 'x', 'ks', 'color', 'chisquare'],
    ['no-drift', 'income', 'ks', 'member', 'ztest'],
  ])(
    '%s: the default methods give the SciPy figures',
    async (name, numeric, numericMethod, categorical, categoricalMethod) => {
      const run = await driftline([
        'report',
        '--reference',
        oracle(name, 'reference.csv'),
        '--current',
        oracle(name, 'current.csv'),
      ]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const columns = JSON.parse(run.stdout).drift.columns;
      for (const [column, method] of [
        [numeric, numericMethod],
        [categorical, categoricalMethod],
      ]) {
        const got = columns.find((c: { column: string }) => c.column === column);
        const want = expected(name).columns[column].methods[method];
        expect(got.method).toBe(method);
        expect(agrees(got.statistic, want.statistic, 'statistic')).toBe(true);
        expect(agrees(got.pValue, want.pValue, 'pValue')).toBe(true);
        expect(got.drifted).toBe(want.drifted);
      }
    },
  );

  it('perf-binary: the metrics match, written to --output with nothing on stdout', async () => {
    const output = join(tempDir(), 'perf.json');
    const flags = '--task binary --target target --prediction prediction --score score'.split(' ');
    const run = await driftline([
      'report',
      '--current',
      oracle('perf-binary', 'current.csv'),
      ...flags,
      '--output',
      output,
    ]);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    const metrics = JSON.parse(readFileSync(output, 'utf8')).performance.metrics;
    const want = expected('perf-binary').metrics;
    expect(metrics.confusionMatrix).toEqual(want.confusionMatrix);
    for (const key of ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss', 'brier']) {
      expect(agrees(metrics[key], want[key], 'statistic')).toBe(true);
    }
  });

  it('exits 2 with one line naming the non-number, its file and row, and no stack', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 20 }, (_, i) => `${i === 16 ? 'abc' : 30 + i}`);
    const reference = writeCsv(dir, 'reference.csv', ['age', ...rows.map((_, i) => String(i))]);
    const current = writeCsv(dir, 'current.csv', ['age', ...rows]);
    const run = await driftline([
      'report',
      '--reference',
      reference,
      '--current',
      current,
      '--numeric',
      'age',
    ]);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `driftline: column "age" declared numeric has a non-number "abc" in ${current} row 17\n`,
    });
  });

  it('exits 2 on an unknown flag and 0 on --help', async () => {
    const bad = await driftline(['report', '--current', 'c.csv', '--referense', 'r.csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "driftline: unknown option '--referense' (driftline report --help lists the options)\n",
    );
    const help = await driftline(['report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--correction none|bonferroni|bh');
  });

  it('reads a large file and tests its columns on two threads with the figures of one thread', async () => {
    // over 16 MB, so the built CLI reads each half on a thread; jest runs the sources on one thread
    const dir = tempDir();
    const rows = (n: number, shift: number) =>
      Array.from({ length: n }, (_, i) => {
        const late = i > n * 0.75;
        const cells = [
          ((i * 7919) % 100_003) / 1000 + shift,
          i % 11 === 0 ? '' : Math.sin(i) * 50,
          `c${(i * 31) % 7}`,
          late && i % 5 === 0 ? 'n/a' : (i % 97) / 4,
          i < n / 4 ? `t${i % 3}` : i % 13,
          -((i * 104_729) % 1_000_003) / 7,
        ];
        return cells.join(',');
      });
    const header = 'a,b,c,d,e,f';
    const reference = writeCsv(dir, 'reference.csv', [header, ...rows(420_000, 0)]);
    const current = writeCsv(dir, 'current.csv', [header, ...rows(60_000, 0.5)]);
    expect(statSync(reference).size).toBeGreaterThan(1 << 24);
    const args = ['report', '--reference', reference, '--current', current, '--method', 'wasserstein'];
    const [threads, one] = await Promise.all([driftline(args), runCli(args)]);
    expect(threads).toMatchObject({ code: 0, stderr: '' });
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(threads.stdout).toBe(one.stdout);
    const columns = JSON.parse(one.stdout).drift.columns as { column: string; method: string }[];
    expect(columns.map((c) => `${c.column}:${c.method}`)).toEqual([
      'a:wasserstein',
      'b:wasserstein',
      'c:jensenshannon',
      'd:jensenshannon',
      'e:jensenshannon',
      'f:wasserstein',
    ]);
  }, 120_000);
});
