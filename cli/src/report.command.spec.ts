import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agrees, ORACLE_DIR, runCli, tempDir, writeCsv } from './cli.fixture';

interface OracleMethod {
  statistic: number;
  pValue?: number;
  drifted: boolean;
}
type OracleCase = { columns: Record<string, { type: string; methods: Record<string, OracleMethod> }> };
interface JsonColumn {
  column: string;
  type: string;
  method: string;
  statistic: number | null;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  missingShare: number;
}

const oracle = (name: string, file: string) => join(ORACLE_DIR, name, file);
const expected = <T>(name: string): T => JSON.parse(readFileSync(oracle(name, 'expected.json'), 'utf8')) as T;

async function driftReport(name: string, extra: string[] = []): Promise<JsonColumn[]> {
  const run = await runCli([
    'report',
    '--reference',
    oracle(name, 'reference.csv'),
    '--current',
    oracle(name, 'current.csv'),
    ...extra,
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { drift: { columns: JsonColumn[] } }).drift.columns;
}

function expectMatches(actual: JsonColumn, want: OracleMethod): void {
  expect(agrees(actual.statistic, want.statistic, 'statistic')).toBe(true);
  if (want.pValue === undefined) expect(actual.pValue).toBeNull();
  else expect(agrees(actual.pValue, want.pValue, 'pValue')).toBe(true);
  expect(actual.drifted).toBe(want.drifted);
}

describe('driftline report on the SciPy oracle cases', () => {
  const cases = ['drift-small', 'no-drift'].flatMap((name) => {
    const columns = expected<OracleCase>(name).columns;
    return Object.entries(columns).flatMap(([column, c]) =>
      Object.keys(c.methods).map((method): [string, string, string, string] => [
        name,
        column,
        c.type,
        method,
      ]),
    );
  });

  it.each(cases)('%s: column %s (%s) with --method %s matches SciPy', async (name, column, type, method) => {
    const columns = await driftReport(name, ['--method', method]);
    const got = columns.find((c) => c.column === column)!;
    expect(got).toMatchObject({ type, method });
    expectMatches(got, expected<OracleCase>(name).columns[column].methods[method]);
  });

  // STATS.md "Default method": n <= 1000, so ks for numeric; ztest for 2 categories, else chisquare.
  it.each([
    ['drift-small', { x: 'ks', color: 'chisquare' }],
    ['no-drift', { income: 'ks', member: 'ztest' }],
  ])(
    '%s: without --method every column gets the default method and the data set verdict follows',
    async (name, methods) => {
      const columns = await driftReport(name);
      expect(columns.map((c) => [c.column, c.method])).toEqual(Object.entries(methods));
      for (const c of columns)
        expectMatches(c, expected<OracleCase>(name).columns[c.column].methods[c.method]);
    },
  );

  it('drift-small: both columns drift, so the data set drifts', async () => {
    const run = await runCli([
      'report',
      '--reference',
      oracle('drift-small', 'reference.csv'),
      '--current',
      oracle('drift-small', 'current.csv'),
    ]);
    const drift = JSON.parse(run.stdout).drift;
    expect([drift.driftedColumns, drift.totalColumns, drift.datasetDrift]).toEqual([2, 2, true]);
    expect(drift.columns.every((c: JsonColumn) => c.missingShare === 0)).toBe(true);
  });

  it('perf-binary: the metrics match scikit-learn', async () => {
    const flags = '--task binary --target target --prediction prediction --score score'.split(' ');
    const run = await runCli(['report', '--current', oracle('perf-binary', 'current.csv'), ...flags]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.drift).toBeUndefined();
    const want = expected<{ task: string; metrics: Record<string, number | Record<string, number>> }>(
      'perf-binary',
    );
    expect(report.performance.task).toBe('binary');
    expect(report.performance.metrics.confusionMatrix).toEqual(want.metrics.confusionMatrix);
    for (const [name, value] of Object.entries(want.metrics)) {
      if (typeof value === 'number')
        expect(agrees(report.performance.metrics[name], value, 'statistic')).toBe(true);
    }
  });

  it('prints drift and performance together with the keys in the documented order, the target and prediction not drift-tested', async () => {
    const file = oracle('perf-binary', 'current.csv');
    const flags = '--task binary --target target --prediction prediction'.split(' ');
    const run = await runCli(['report', '--reference', file, '--current', file, ...flags]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(['drift', 'performance']);
    expect(Object.keys(report.drift)).toEqual([
      'columns',
      'driftedColumns',
      'totalColumns',
      'driftShare',
      'datasetDrift',
    ]);
    expect(report.drift.columns.map((c: JsonColumn) => c.column)).toEqual(['score']);
    expect(Object.keys(report.drift.columns[0])).toEqual([
      'column',
      'type',
      'method',
      'statistic',
      'pValue',
      'threshold',
      'drifted',
      'missingShare',
    ]);
    expect(Object.keys(report.performance)).toEqual(['task', 'metrics']);
    expect(Object.keys(report.performance.metrics)).toEqual([
      'accuracy',
      'precision',
      'recall',
      'f1',
      'rocAuc',
      'logLoss',
      'brier',
      'confusionMatrix',
    ]);
    expect(Object.keys(report.performance.metrics.confusionMatrix)).toEqual(['tp', 'fp', 'fn', 'tn']);
    // identical samples: KS statistic 0 with p 1 (n = 500, so the default method is ks)
    expect(report.drift.columns[0]).toMatchObject({ method: 'ks', statistic: 0, pValue: 1, drifted: false });
    // without a score, rocAuc, logLoss and brier are null
    expect([
      report.performance.metrics.rocAuc,
      report.performance.metrics.logLoss,
      report.performance.metrics.brier,
    ]).toEqual([null, null, null]);
  });

  it('compares a column with numbers and text as categories spelled as in the files', async () => {
    const dir = tempDir();
    const reference = writeCsv(dir, 'reference.csv', ['v', '1.50', '1.50']);
    const current = writeCsv(dir, 'current.csv', ['v', 'abc', '1.50']);
    const run = await runCli(['report', '--reference', reference, '--current', current, '--method', 'linf']);
    const column = JSON.parse(run.stdout).drift.columns[0];
    // categories "1.50" and "abc": shares (1, 0) against (1/2, 1/2); a reference respelt "1.5" would give 1
    expect(column).toMatchObject({ type: 'categorical', method: 'linf', statistic: 0.5 });
  });

  describe('settings reach the statistics', () => {
    const files = [
      '--reference',
      oracle('drift-small', 'reference.csv'),
      '--current',
      oracle('drift-small', 'current.csv'),
    ];
    const report = async (...flags: string[]) =>
      JSON.parse((await runCli(['report', ...files, ...flags])).stdout).drift;

    it('--correction bonferroni halves the p threshold of both p-value tests', async () => {
      const drift = await report('--correction', 'bonferroni');
      expect(drift.columns.map((c: JsonColumn) => c.threshold)).toEqual([0.025, 0.025]);
    });

    it('--drift-share moves the data set verdict: kl drifts x (0.149) but not color (0.093)', async () => {
      const atHalf = await report('--method', 'kl');
      expect([atHalf.driftShare, atHalf.datasetDrift]).toEqual([0.5, true]);
      expect((await report('--method', 'kl', '--drift-share', '0.6')).datasetDrift).toBe(false);
    });

    it('--bins sets the reference bins of the chart: 5 bins, 5 pairs of bars', async () => {
      const dir = tempDir();
      const output = join(dir, 'five.html');
      expect(
        (await runCli(['report', ...files, '--bins', '5', '--format', 'html', '--output', output])).code,
      ).toBe(0);
      const svg = /<svg class="chart" data-column="x".*?<\/svg>/s.exec(readFileSync(output, 'utf8'))![0];
      expect(svg.match(/<rect class="bar reference"/g)).toHaveLength(5);
    });
  });
});
