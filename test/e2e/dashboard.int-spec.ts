import { waitFor } from '@driftline/testing';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ColumnDriftResult, WindowDistributions, WindowResult } from '@driftline/contracts';
import { Random } from '../../libs/stats/src/random';
import { DEMO_MODEL_SPECS, DemoScenario, DRIFTING_MODEL_ID } from '../../scripts/demo.scenario';
import { E2eStack, REPO_ROOT } from './e2e.stack';

const ADMIN_KEY = 'dl_e2e_dashboard_admin_key_0123456789';
const WRONG_KEY = 'dl_not_a_key_of_this_api_0123456789abcdef';
const PUBLIC_URL = 'https://driftline.example.com';
const MINUTE = 60_000;
/** Five calm minutes, then five drifted ones: ten one-minute windows. */
const WINDOWS = 10;
const EVENTS_PER_MINUTE = 160;
/** Where the screenshots go (git-ignored): a test artifact for CI to keep. */
const SHOTS = join(REPO_ROOT, 'artifacts', 'dashboard');

interface AlertView {
  alertId: string;
  status: string;
  summary: string;
  value: number;
  evidence: { url: string };
}

// Needs `npm run build`: the api (with the bundled dashboard) and the monitor run from dist/.
describe('the dashboard in headless Chromium, on a stack fed with drifting data (real broker and Postgres)', () => {
  let stack: E2eStack;
  let browser: Browser;
  let windows: WindowResult[];
  let alert: AlertView;

  async function api<T>(
    path: string,
    init: { method?: string; body?: unknown; type?: string } = {},
  ): Promise<T> {
    const response = await fetch(`${stack.api}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': init.type ?? 'application/json' },
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === 'string'
            ? init.body
            : JSON.stringify(init.body),
    });
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await E2eStack.start({ env: { DRIFTLINE_ADMIN_KEY: ADMIN_KEY, PUBLIC_URL } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  async function feedDriftingData(modelId: string): Promise<void> {
    const spec = DEMO_MODEL_SPECS.find((s) => s.modelId === modelId);
    if (spec === undefined) throw new Error(`no demo spec ${modelId}`);
    await api('/v1/models', {
      method: 'POST',
      body: { ...spec, window: { size: '1m', step: '1m', allowedLateness: '5s' } },
    });
    const scenario = new DemoScenario(new Random(7), []);
    const reference = scenario.reference(modelId, 2000).map((r) => JSON.stringify(r));
    await api(`/v1/models/${modelId}/reference?name=calm`, {
      method: 'POST',
      type: 'application/x-ndjson',
      body: reference.join('\n'),
    });
    const monitor = { modelId, op: '>', severity: 'critical' };
    await api('/v1/monitors', {
      method: 'POST',
      body: { ...monitor, monitorId: 'churn-drift', metric: 'drift_share', threshold: 0.5 },
    });
    await api('/v1/monitors', {
      method: 'POST',
      body: { ...monitor, monitorId: 'churn-accuracy', metric: 'accuracy', op: '<', threshold: 0.55 },
    });
    // recent minutes, in event time: the first half calm, the second drifted
    const start = Math.floor(Date.now() / MINUTE) * MINUTE - 20 * MINUTE;
    const events = Array.from({ length: WINDOWS * EVENTS_PER_MINUTE }, (_, i) => {
      const at = new Date(start + Math.floor((i * MINUTE) / EVENTS_PER_MINUTE));
      return scenario.churnEvent(at, i >= (WINDOWS / 2) * EVENTS_PER_MINUTE);
    });
    const closing = scenario.churnEvent(new Date(start + (WINDOWS + 1) * MINUTE), true);
    const predictions = [...events.map((e) => e.prediction), closing.prediction];
    for (let i = 0; i < predictions.length; i += 500)
      await api('/v1/predictions', { method: 'POST', body: predictions.slice(i, i + 500) });
    // labels for four events in five: a labelled share below 1
    const labels = events.filter((_, i) => i % 5 !== 0).map((e) => e.label);
    for (let i = 0; i < labels.length; i += 500)
      await api('/v1/ground-truth', { method: 'POST', body: labels.slice(i, i + 500) });
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function logIn(page: Page): Promise<void> {
    await page.waitForSelector('form#login');
    await page.fill('#api-key', ADMIN_KEY);
    await page.click('form#login button[type=submit]');
  }

  const loaded = (page: Page) => page.waitForSelector('.page[data-loaded=true]');
  const count = (page: Page, selector: string) => page.locator(selector).count();
  const points = (page: Page, name: string) =>
    page.getAttribute(`[data-series=${name}][data-drawn=true]`, 'data-points');

  // two models, one fed with ten windows that drift halfway, with labels and a firing alert
  beforeAll(async () => {
    await api('/v1/models', { method: 'POST', body: DEMO_MODEL_SPECS[0] });
    await feedDriftingData(DRIFTING_MODEL_ID);

    windows = await waitFor(
      async () => {
        const { windows } = await api<{ windows: WindowResult[] }>(`/v1/models/${DRIFTING_MODEL_ID}/windows`);
        const labelled = windows.every((w) => (w.performance?.labelledShare ?? 0) > 0);
        return windows.length === WINDOWS && labelled ? windows : null;
      },
      { timeoutMs: 120_000, intervalMs: 500, message: `${WINDOWS} windows evaluated, with labels` },
    );
    alert = await waitFor(
      async () => {
        const { alerts } = await api<{ alerts: AlertView[] }>(
          `/v1/alerts?modelId=${DRIFTING_MODEL_ID}&status=firing`,
        );
        return alerts.find((a) => a.summary.includes('drift_share'));
      },
      { timeoutMs: 60_000, intervalMs: 500, message: 'the drift alert firing' },
    );
  }, 240_000);

  it('logs in with a key, lists the models, draws the heatmap, series, window and alert pages', async () => {
    const modelId = DRIFTING_MODEL_ID;

    // the pages are the app, not a redirect; an unknown asset is an error in the error shape
    const link = await fetch(`${stack.api}/alerts/${alert.alertId}`, { redirect: 'manual' });
    expect([link.status, link.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(link.headers.get('content-security-policy')).toContain("script-src 'self'");
    const asset = await fetch(`${stack.api}/assets/secrets.txt`);
    expect([asset.status, ((await asset.json()) as { error: { code: string } }).error.code]).toEqual([
      404,
      'asset_not_found',
    ]);

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    // the key goes in the Authorization header of every /v1 request, never in a URL
    const requests: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), authorization: r.headers().authorization }));
    // no script error and nothing the content security policy blocks
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    // the error answers expected: the wrong key's, the model with no window yet
    const failed: string[] = [];
    page.on('response', (r) =>
      r.status() >= 400 ? failed.push(`${r.status()} ${new URL(r.url()).pathname}`) : undefined,
    );
    // the overview, through the login it sends a tab without a key to
    await page.goto(`${stack.api}/`);
    await page.waitForSelector('form#login');
    await page.fill('#api-key', WRONG_KEY);
    await page.click('form#login button[type=submit]');
    await page.waitForSelector('.form-error:text("This key was refused.")');
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot(page, 'login');
    await logIn(page);
    await page.waitForSelector('table.models tr[data-model]');
    await loaded(page);
    expect(
      await page
        .locator('table.models tr[data-model]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model'))),
    ).toEqual(expect.arrayContaining(['bike-demand', modelId]));
    expect(await count(page, 'table.models tr[data-model]')).toBe(2);
    expect(await page.textContent(`tr[data-model="${modelId}"]`)).toContain('1 firing');
    expect(await page.textContent('table.alerts')).toContain(alert.summary);
    await shot(page, 'overview');

    // the model: a cell per feature and window, a point per window
    await page.click(`tr[data-model="${modelId}"] a`);
    await page.waitForURL(`**/models/${modelId}`);
    await loaded(page);
    const columns = (w: WindowResult): ColumnDriftResult[] => [
      ...w.drift.columns,
      ...(w.drift.predictionDrift ?? []),
    ];
    const features = new Set(windows.flatMap((w) => columns(w).map((c) => c.column)));
    const drifted = windows.flatMap(columns).filter((c) => c.drifted).length;
    expect(await count(page, 'svg.heatmap rect.cell')).toBe(features.size * WINDOWS);
    expect(await count(page, 'svg.heatmap rect.cell.drifted')).toBe(drifted);
    expect(drifted).toBeGreaterThan(0);
    await page.waitForSelector('[data-series=drift-share][data-drawn=true]');
    expect(await points(page, 'drift-share')).toBe(String(WINDOWS));
    const withAccuracy = windows.filter(
      (w) => typeof (w.performance?.metrics as { accuracy?: number }).accuracy === 'number',
    );
    expect(await points(page, 'performance')).toBe(String(withAccuracy.length));
    expect(await count(page, 'svg.timeline rect.alert-bar.firing')).toBeGreaterThanOrEqual(1);
    await shot(page, 'model');

    // the newest window, from its heatmap cell of age: a chart per column, two bars (reference,
    // current) per bin or category
    await page.locator('svg.heatmap rect.cell[data-feature="age"]').last().click();
    await page.waitForURL(/\/models\/[^/]+\/window\?.*#col-age$/);
    await loaded(page);
    const newest = windows[windows.length - 1];
    const query = new URLSearchParams({ windowStart: newest.windowStart, windowEnd: newest.windowEnd });
    const dist = await api<WindowDistributions>(`/v1/models/${modelId}/windows/distributions?${query}`);
    expect(await count(page, '.card.column svg.chart')).toBe(dist.columns.length);
    const age = dist.columns.find((c) => c.column === 'age');
    expect(age?.reference).not.toBeNull();
    expect(await count(page, '.card.column[data-column=age] rect.bar')).toBe(
      2 * (age?.edges.length ?? 0) + 2,
    );
    await shot(page, 'window');
    const v1 = requests.filter((r) => new URL(r.url).pathname.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(5);
    expect(v1.filter((r) => r.authorization !== `Bearer ${ADMIN_KEY}`)).toEqual([
      { url: `${stack.api}/v1/models`, authorization: `Bearer ${WRONG_KEY}` },
    ]);
    expect(requests.filter((r) => r.url.includes(ADMIN_KEY))).toEqual([]);
    expect(problems).toEqual([]);
    expect([...new Set(failed)]).toEqual(['401 /v1/models', '404 /v1/models/bike-demand/windows/latest']);

    // the alert's link, opened in a new tab: the login first, then back to the alert
    expect(alert.evidence.url).toBe(`${PUBLIC_URL}/alerts/${alert.alertId}`);
    const tab = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await tab.goto(alert.evidence.url.replace(PUBLIC_URL, stack.api));
    await logIn(tab);
    await tab.waitForURL(`**/alerts/${alert.alertId}`);
    await loaded(tab);
    expect(await tab.textContent('h1.alert-title')).toContain(alert.summary);
    expect(await tab.getAttribute('.evidence [data-value]', 'data-value')).toBe(String(alert.value));
    await tab.waitForSelector('[data-series=alert-metric][data-drawn=true]');
    expect(await count(tab, '.card.column svg.chart')).toBeGreaterThanOrEqual(1);
    await shot(tab, 'alert');

    // a model with no window yet says so, in the same session
    await tab.click('.crumbs a[href="/"]');
    await tab.click('tr[data-model="bike-demand"] a');
    await tab.waitForURL('**/models/bike-demand');
    await loaded(tab);
    expect(await tab.textContent('.page')).toContain('No window evaluated yet');
  }, 300_000);

  it('goes back to the login when the key is revoked, then on to the page asked for', async () => {
    const modelId = DRIFTING_MODEL_ID;
    const key = await api<{ keyId: string; secret: string }>('/v1/keys', {
      method: 'POST',
      body: { name: 'dashboard-e2e-reader', scopes: ['read'] },
    });
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${stack.api}/models/${modelId}`);
    await page.waitForSelector('form#login');
    await page.fill('#api-key', key.secret);
    await page.click('form#login button[type=submit]');
    await page.waitForURL(`**/models/${modelId}`);
    await page.waitForSelector('table.windows a.window-link');

    await fetch(`${stack.api}/v1/keys/${key.keyId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    await page.click('table.windows a.window-link');
    await page.waitForSelector('form#login');
    const asked = new URL(page.url());
    expect(asked.pathname).toBe('/login');
    expect(asked.searchParams.get('next')).toMatch(new RegExp(`^/models/${modelId}/window\\?start=`));
    expect(await page.textContent('form#login')).toContain('The API refused the key');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await logIn(page);
    await page.waitForURL(/\/models\/[^/]+\/window\?start=/);
    await page.waitForSelector('.card.column svg.chart');
  }, 300_000);
});
