import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ServiceMetrics } from '@driftline/common';
import { loadConfig } from '@driftline/config';
import { AuthMetrics } from '../services/api/src/auth/auth.metrics';
import { repoFile } from './repo-files';

const read = (path: string) => readFileSync(repoFile(path), 'utf8');
/** Series Prometheus itself provides (not the services'). */
const PROMETHEUS_SERIES = new Set(['up']);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** Every sample name the services can serve: ServiceMetrics and the api's own series, histograms expanded. */
async function registeredSeries(): Promise<Set<string>> {
  const names = new Set<string>();
  const metrics = new ServiceMetrics('spec');
  new AuthMetrics(metrics, loadConfig({}));
  for (const { name, type } of await metrics.registry.getMetricsAsJSON()) {
    names.add(name);
    if (String(type) === 'histogram') for (const suffix of HISTOGRAM_SUFFIXES) names.add(`${name}${suffix}`);
  }
  return names;
}

/** The metric names a PromQL expression selects (identifiers not followed by a `(` or a label `=`). */
function seriesOf(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...withoutStrings.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1])
    .filter((name) => name.startsWith('driftline_') || PROMETHEUS_SERIES.has(name));
}

interface Rule {
  alert: string;
  expr: string;
}
interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr: string }[];
}

const rules = (): Rule[] =>
  (parse(read('infra/prometheus/driftline.rules.yml')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
    (g) => g.rules,
  );
const panels = (): Panel[] =>
  (JSON.parse(read('infra/grafana/dashboards/driftline.json')) as { panels: Panel[] }).panels;

describe('infra/prometheus and infra/grafana use only the series the services register', () => {
  it('every Prometheus rule selects registered series, and names at least one driftline_* series', async () => {
    const registered = await registeredSeries();
    expect(rules().length).toBeGreaterThan(0);
    for (const rule of rules()) {
      const used = seriesOf(rule.expr);
      expect([rule.alert, used.length > 0]).toEqual([rule.alert, true]);
      for (const name of used.filter((n) => !PROMETHEUS_SERIES.has(n))) {
        expect([rule.alert, name, registered.has(name)]).toEqual([rule.alert, name, true]);
      }
    }
  });

  it('every Grafana panel queries registered driftline_* series on the provisioned datasource', async () => {
    const registered = await registeredSeries();
    const datasources = parse(read('infra/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string }[];
    };
    const uids = datasources.datasources.map((d) => d.uid);
    expect(panels().length).toBeGreaterThan(0);
    for (const panel of panels()) {
      expect([panel.title, uids.includes(panel.datasource.uid)]).toEqual([panel.title, true]);
      const used = panel.targets.flatMap((t) => seriesOf(t.expr));
      expect([panel.title, used.length > 0]).toEqual([panel.title, true]);
      for (const name of used)
        expect([panel.title, name, registered.has(name)]).toEqual([panel.title, name, true]);
    }
  });

  it('the dashboard shows the series the issue asks for', () => {
    const shown = new Set(panels().flatMap((p) => p.targets.flatMap((t) => seriesOf(t.expr))));
    for (const name of [
      'driftline_events_consumed_total',
      'driftline_consumer_lag',
      'driftline_batch_duration_seconds_bucket',
      'driftline_windows_evaluated_total',
      'driftline_late_events_total',
      'driftline_dead_letters_total',
      'driftline_alerts_firing',
      'driftline_notifications_total',
      'driftline_notification_failures_total',
      'driftline_retrain_triggers_total',
      'driftline_http_requests_total',
      'driftline_http_request_duration_seconds_bucket',
    ]) {
      expect([name, shown.has(name)]).toEqual([name, true]);
    }
  });

  it('Prometheus scrapes each of the four services on its default port, and loads the rules file', () => {
    const config = parse(read('infra/prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    expect(config.rule_files).toEqual(['driftline.rules.yml']);
    const { ports } = loadConfig({});
    const scraped = Object.fromEntries(
      config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((s) => s.targets)]),
    );
    expect(scraped).toEqual({
      'driftline-api': [`api:${ports.api}`],
      'driftline-monitor': [`monitor:${ports.monitor}`],
      'driftline-notifier': [`notifier:${ports.notifier}`],
      'driftline-dispatcher': [`dispatcher:${ports.dispatcher}`],
    });
    for (const job of config.scrape_configs) expect(job.metrics_path ?? '/metrics').toBe('/metrics');
  });

  it('reads metric names out of PromQL, leaving functions, label names and strings aside', () => {
    expect(
      seriesOf(
        'histogram_quantile(0.95, sum by (le, route) (rate(driftline_http_request_duration_seconds_bucket{status=~"5.."}[5m])))',
      ),
    ).toEqual(['driftline_http_request_duration_seconds_bucket']);
    expect(seriesOf('up{job=~"driftline-.*"} == 0')).toEqual(['up']);
  });
});
