import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeCsv } from './cli.fixture';

const dir = tempDir();
const numbers = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
const ref = writeCsv(dir, 'ref.csv', [
  'age,color',
  ...numbers(40, (i) => `${20 + i},${['red', 'green', 'blue'][i % 3]}`),
]);
const cur = writeCsv(dir, 'cur.csv', [
  'age,color',
  ...numbers(30, (i) => `${25 + i},${['red', 'green'][i % 2]}`),
]);
const curAbc = writeCsv(dir, 'cur-abc.csv', [
  'age,color',
  ...numbers(30, (i) => `${i === 16 ? 'abc' : 25 + i},red`),
]);
const curEmptyAge = writeCsv(dir, 'cur-empty-age.csv', ['age,color', ...numbers(5, () => ',red')]);
const curExtra = writeCsv(dir, 'cur-extra.csv', ['age,color,city', '30,red,Oslo']);
const curLess = writeCsv(dir, 'cur-less.csv', ['age', '30']);
const ragged = writeCsv(dir, 'ragged.csv', ['age,color', '30,red', '31', '32,blue']);
const unclosed = writeCsv(dir, 'unclosed.csv', ['age,color', '30,"red']);
const empty = writeCsv(dir, 'empty.csv', []);
const headerOnly = writeCsv(dir, 'header-only.csv', ['age,color']);
const twice = writeCsv(dir, 'twice.csv', ['age,age', '1,2']);
const onlyNumbers = writeCsv(dir, 'only-numbers.csv', ['age', ...numbers(20, (i) => String(i))]);
const perf = writeCsv(dir, 'perf.csv', ['y,yhat', '1.5,1.4', 'abc,2.0']);
const aDirectory = join(dir, 'a-directory.csv');
mkdirSync(aDirectory);

const drift = (current: string, ...extra: string[]) => [
  'report',
  '--reference',
  ref,
  '--current',
  current,
  ...extra,
];

describe('driftline on bad input: exit code 2 and one line on stderr naming the problem', () => {
  it.each<[string, string[], RegExp]>([
    ['missing file', drift(join(dir, 'nope.csv')), /cannot read .*nope\.csv: no such file$/],
    ['a directory', drift(aDirectory), /cannot read .*a-directory\.csv: it is a directory$/],
    [
      'ragged rows',
      drift(ragged),
      /ragged\.csv is not a valid CSV: Invalid Record Length: expect 2, got 1 on line 3$/,
    ],
    ['unclosed quote', drift(unclosed), /unclosed\.csv is not a valid CSV: Quote Not Closed/],
    ['empty file', drift(empty), /empty\.csv is empty: a header row is needed$/],
    ['header but no rows', drift(headerOnly), /header-only\.csv has a header but no data rows$/],
    ['duplicate column name', drift(twice), /twice\.csv names column "age" twice in its header$/],
    [
      'column only in the current file',
      drift(curExtra),
      /column "city" is in .*cur-extra\.csv but not in .*ref\.csv$/,
    ],
    [
      'column only in the reference',
      drift(curLess),
      /column "color" is in .*ref\.csv but not in .*cur-less\.csv$/,
    ],
    [
      'unknown declared column',
      drift(cur, '--numeric', 'age,height'),
      /--numeric names column "height", which is in neither file$/,
    ],
    [
      'unknown target column',
      drift(cur, '--task', 'binary', '--target', 'label', '--prediction', 'color'),
      /cur\.csv has no column "label" \(--target\)$/,
    ],
    [
      'unknown method',
      drift(cur, '--method', 'magic'),
      /^driftline: unknown method "magic"; the methods are ks, wasserstein, /,
    ],
    [
      'method that fits no column',
      ['report', '--reference', onlyNumbers, '--current', onlyNumbers, '--method', 'chisquare'],
      /method "chisquare" fits no column: it is a categorical method and no column here is categorical$/,
    ],
    ['method that does not suit the data', drift(cur, '--method', 'fisher'), /column "color": .*fisher/],
    [
      'empty sample',
      drift(curEmptyAge),
      /column "age" has no values in .*cur-empty-age\.csv \(every cell is empty\)$/,
    ],
    [
      'non-number in a numeric column',
      drift(curAbc, '--numeric', 'age'),
      /^driftline: column "age" declared numeric has a non-number "abc" in .*cur-abc\.csv row 17$/,
    ],
    [
      'non-number in a regression target',
      ['report', '--current', perf, '--task', 'regression', '--target', 'y', '--prediction', 'yhat'],
      /column "y" \(--target of a regression\) has a non-number "abc" in .*perf\.csv row 2$/,
    ],
    ['--bins 0', drift(cur, '--bins', '0'), /--bins must be a whole number from 2 to 1000, got "0"$/],
    ['--bins x', drift(cur, '--bins', 'x'), /--bins must be a whole number from 2 to 1000, got "x"$/],
    [
      '--drift-share 1.5',
      drift(cur, '--drift-share', '1.5'),
      /--drift-share must be a number from 0 to 1, got "1.5"$/,
    ],
    [
      '--correction holm',
      drift(cur, '--correction', 'holm'),
      /--correction must be one of none, bonferroni, bh, got "holm"$/,
    ],
    ['--format pdf', drift(cur, '--format', 'pdf'), /--format must be one of json, html, got "pdf"$/],
    [
      '--task ranking',
      drift(cur, '--task', 'ranking', '--target', 'color'),
      /--task must be one of binary, multiclass, regression, got "ranking"$/,
    ],
    [
      'unknown flag',
      drift(cur, '--colour', 'red'),
      /^driftline: unknown option '--colour' \(driftline report --help lists the options\)$/,
    ],
    ['flag without its value', drift(cur, '--bins'), /^driftline: option '--bins <value>' argument missing/],
    ['stray argument', drift(cur, 'extra.csv'), /^driftline: unexpected argument 'extra\.csv'/],
    ['no --current', ['report', '--reference', ref], /^driftline: --current is required$/],
    [
      'nothing to report',
      ['report', '--current', cur],
      /nothing to report: give --reference for drift, or --task and --target for performance$/,
    ],
    [
      '--target without --task',
      drift(cur, '--target', 'color'),
      /--target is about performance, which needs --task$/,
    ],
    [
      '--method without --reference',
      [
        'report',
        '--current',
        cur,
        '--method',
        'ks',
        '--task',
        'binary',
        '--target',
        'color',
        '--prediction',
        'color',
      ],
      /--method is about drift, which needs --reference$/,
    ],
    [
      'binary without prediction or score',
      drift(cur, '--task', 'binary', '--target', 'color'),
      /--task binary needs --prediction or --score$/,
    ],
    [
      '--score with a regression',
      drift(cur, '--task', 'regression', '--target', 'age', '--prediction', 'age', '--score', 'color'),
      /--score applies to --task binary only$/,
    ],
    [
      'an output in a missing folder',
      drift(cur, '--output', join(dir, 'no', 'such', 'out.json')),
      /cannot write .*out\.json: ENOENT$/,
    ],
    ['unknown command', ['reprot'], /^driftline: unknown command "reprot" \(commands: report\b.*\)$/],
  ])('%s', async (_, argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^driftline: [^\n]+\n$/);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('prints its usage and exits 2 when given no command, and exits 0 for --help', async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^Usage: driftline <command>/);
    const help = await runCli(['report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: driftline report --current C\.csv/);
  });
});
