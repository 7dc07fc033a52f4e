import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ORACLE_DIR, runCli, tempDir } from './cli.fixture';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

interface DrawnBar {
  series: string;
  height: number;
  drawnHeight: number;
  label: string;
}

interface OpenedPage {
  page: Page;
  requests: string[];
  errors: string[];
}

let browser: Browser;
const dir = tempDir();
const oracle = (name: string, file: string) => join(ORACLE_DIR, name, file);

async function render(name: string, argv: string[]): Promise<OpenedPage> {
  const output = join(dir, `${name}.html`);
  const run = await runCli(['report', ...argv, '--format', 'html', '--output', output]);
  expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = pathToFileURL(output).href;
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, errors };
}

function bars(page: Page, column: string): Promise<DrawnBar[]> {
  return page.$$eval(`svg.chart[data-column="${column}"] rect.bar`, (rects) =>
    rects.map((r) => ({
      series: r.classList.contains('reference') ? 'reference' : 'current',
      height: Number(r.getAttribute('height')),
      drawnHeight: r.getBoundingClientRect().height,
      label: r.querySelector('title')?.textContent ?? '',
    })),
  );
}

/** Shares of each value of one CSV column, counted here without any of the CLI's code. */
function shares(file: string, column: string): Map<string, number> {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const index = header.split(',').indexOf(column);
  const counts = new Map<string, number>();
  for (const row of rows) {
    const v = row.split(',')[index];
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, n]) => [k, n / rows.length]));
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('driftline report --format html, rendered in headless Chromium', () => {
  let drift: OpenedPage;

  beforeAll(async () => {
    drift = await render('drift-small', [
      '--reference',
      oracle('drift-small', 'reference.csv'),
      '--current',
      oracle('drift-small', 'current.csv'),
    ]);
  }, 60_000);

  it('loads with no console error and no network request', () => {
    expect(drift.errors).toEqual([]);
    expect(drift.requests).toEqual([]);
  });

  it('summarises every column in the table', async () => {
    const rows = await drift.page.$$eval('table tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^x.*numeric.*ks.*0\.17.*0\.0126.*drift$/s);
    expect(rows[1]).toMatch(/^color.*categorical.*chisquare.*16\.71.*drift$/s);
  });

  it('draws the numeric column as a histogram on 10 reference bins, every bar on screen', async () => {
    const drawn = await bars(drift.page, 'x');
    const reference = drawn.filter((b) => b.series === 'reference');
    const current = drawn.filter((b) => b.series === 'current');
    expect([reference.length, current.length]).toEqual([10, 10]);
    // 200 distinct reference values in deciles: 20 per bin, so ten bars of one height
    expect(reference.every((b) => b.height > 0 && Math.abs(b.height - reference[0].height) < 0.02)).toBe(
      true,
    );
    expect(reference.every((b) => b.drawnHeight > 0)).toBe(true);
    // both samples' shares sum to 1, so both series have the same total height
    const total = (bs: DrawnBar[]) => bs.reduce((s, b) => s + b.height, 0);
    expect(Math.abs(total(current) - total(reference))).toBeLessThan(0.1);
    expect(current.filter((b) => b.height > 0).length).toBeGreaterThan(5);
  });

  it('draws one bar per category and sample, heights proportional to the shares in the files', async () => {
    const drawn = await bars(drift.page, 'color');
    const want = {
      reference: shares(oracle('drift-small', 'reference.csv'), 'color'),
      current: shares(oracle('drift-small', 'current.csv'), 'color'),
    };
    expect(drawn).toHaveLength(6);
    const scale = drawn[0].height / want.reference.get('blue')!;
    for (const bar of drawn) {
      const category = /· (\w+):/.exec(bar.label)![1];
      const share = want[bar.series as 'reference' | 'current'].get(category)!;
      expect(bar.drawnHeight).toBeGreaterThan(0);
      expect(Math.abs(bar.height - share * scale)).toBeLessThan(0.05);
    }
    expect(drawn.map((b) => /· (\w+):/.exec(b.label)![1])).toEqual([
      'blue',
      'blue',
      'green',
      'green',
      'red',
      'red',
    ]);
  });
});

describe('driftline report --format html with performance only', () => {
  it('shows the metrics and the confusion matrix of perf-binary', async () => {
    const flags = '--task binary --target target --prediction prediction --score score'.split(' ');
    const perf = await render('perf-binary', ['--current', oracle('perf-binary', 'current.csv'), ...flags]);
    expect(perf.errors).toEqual([]);
    expect(perf.requests).toEqual([]);
    expect(await perf.page.$$('svg.chart')).toHaveLength(0);
    const tiles = await perf.page.$$eval('.tile', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(tiles).toEqual(expect.arrayContaining(['Accuracy0.82', 'ROC AUC0.9036']));
    const cells = await perf.page.$$eval('.matrix .cell', (cs) => cs.map((c) => c.firstChild?.textContent));
    expect(cells).toEqual(['207', '40', '50', '203']);
  });
});
