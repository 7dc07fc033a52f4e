import { ApiFailure, allItems, pathOf } from '../api.client';
import type { Alert, AlertFeature, WindowDistributions } from '../api.types';
import { timeSeries } from '../charts/series.chart';
import { h, pill, section, table, tile } from '../dom';
import { driftRule, fmt, num, time, windowPath, windowText } from '../format';
import { alert as fetchAlert } from '../model.data';
import type { PageContext } from '../router';
import { crumbs } from './page.head';
import { distributions, windowResult } from '../window.data';
import { columnCard, legend } from './column.cards';

/** Feature charts shown at most: the alert's feature, else the window's most drifted. */
const MAX_CHARTS = 4;

interface Point {
  windowStart: string;
  windowEnd: string;
  value: number;
}

function evidenceTiles(a: Alert): HTMLElement {
  const op = a.evidence.op ?? '';
  const tone = a.status === 'firing' ? 'bad' : undefined;
  return h(
    'div',
    { class: 'tiles evidence' },
    tile('Metric', a.metric, a.feature === null ? 'model level' : `feature ${a.feature}`),
    tile(
      'Value',
      h('span', { 'data-value': a.value }, num(a.value)),
      `threshold ${op} ${fmt(a.threshold)}`.replace('  ', ' '),
      tone,
    ),
    tile(
      'Window (UTC)',
      h(
        'a',
        { href: windowPath(a.modelId, a.windowStart, a.windowEnd), class: 'window-link' },
        windowText(a.windowStart, a.windowEnd),
      ),
      'the last window evaluated for the alert',
    ),
    tile(
      a.status === 'firing' ? 'Firing since' : 'Resolved',
      time(a.endsAt ?? a.startsAt),
      a.endsAt === null ? null : `started ${time(a.startsAt)}`,
    ),
  );
}

function featureRows(features: readonly AlertFeature[]): HTMLTableRowElement[] {
  return features.map((f) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#col-${encodeURIComponent(f.feature)}` }, f.feature)),
      h('td', {}, f.method),
      h('td', { class: 'num' }, num(f.statistic)),
      h('td', { class: 'num' }, num(f.pValue)),
      h('td', {}, driftRule(f)),
    ),
  );
}

async function metricSeries(root: HTMLElement, a: Alert): Promise<void> {
  const path = pathOf(`/v1/models/${encodeURIComponent(a.modelId)}/metrics`, {
    metric: a.metric,
    feature: a.feature ?? undefined,
    limit: 1000,
  });
  // the series is paged, oldest first: every page, so the alert's window is on it
  const points = await allItems<Point>(path, 'points');
  const box = section(
    `${a.metric} over windows`,
    'per window end (UTC); the red line marks the alert’s window',
  );
  root.append(box);
  if (points.length === 0)
    return void box.append(h('p', { class: 'note' }, 'No point of this metric is stored.'));
  const x = points.map((p) => Date.parse(p.windowEnd) / 1000);
  timeSeries(box, {
    name: 'alert-metric',
    x,
    marker: Date.parse(a.windowEnd) / 1000,
    lines: [
      { label: a.metric, values: points.map((p) => p.value), stroke: '#4c78a8' },
      {
        label: `threshold ${a.evidence.op ?? ''} ${fmt(a.threshold)}`,
        values: x.map(() => a.threshold),
        stroke: '#b42318',
        threshold: true,
      },
    ],
  });
}

async function featureCharts(root: HTMLElement, a: Alert): Promise<void> {
  const box = section('The window’s distributions', null);
  root.append(box);
  let dist: WindowDistributions;
  try {
    dist = await distributions(a.modelId, a.windowStart, a.windowEnd);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404) {
      box.append(h('p', { class: 'note' }, error.message));
      return;
    }
    throw error;
  }
  const w = await windowResult(a.modelId, a.windowStart, a.windowEnd);
  if (w === null) return;
  const drifted = [...w.drift.columns].filter((c) => c.drifted).map((c) => c.column);
  const named = a.feature !== null ? [a.feature] : (a.evidence.topFeatures ?? []).map((f) => f.feature);
  const wanted = (named.length > 0 ? named : drifted).slice(0, MAX_CHARTS);
  const shown = dist.columns.filter((d) => wanted.includes(d.column));
  box.append(
    h(
      'p',
      { class: 'note' },
      a.feature !== null ? `the alert's feature, ${a.feature}` : 'the window’s most drifted features',
    ),
    legend(),
    h('div', { class: 'charts' }, ...shown.map((d) => columnCard(d, w))),
  );
}

/** An alert, as the link in Slack and email opens it: the metric against its threshold and its window's evidence. */
export async function alertPage(root: HTMLElement, { params }: PageContext): Promise<void> {
  const a = await fetchAlert(params.alertId);
  document.title = `${a.status === 'firing' ? '🔴' : '✅'} ${a.summary} · Driftline`;
  root.append(
    h(
      'div',
      { class: 'page-head' },
      crumbs(a.modelId, 'alert'),
      h(
        'h1',
        { class: 'alert-title' },
        pill(a.status, a.status === 'firing' ? 'bad' : 'ok'),
        ' ',
        pill(a.severity, 'task'),
        ' ',
        a.summary,
      ),
      h('p', { class: 'note' }, `monitor ${a.monitorId} · alert ${a.alertId}`),
    ),
    evidenceTiles(a),
  );
  const [charts, series] = [h('div'), h('div')];
  root.append(charts, series);
  const top = a.evidence.topFeatures ?? [];
  if (top.length > 0)
    root.append(
      section(
        'Most drifted features',
        'of the window, as the alert reported them',
        table(['Feature', 'Method', 'Statistic', 'p-value', 'Drift when'], featureRows(top), {
          class: 'top-features',
        }),
      ),
    );
  await Promise.all([featureCharts(charts, a), metricSeries(series, a)]);
}
