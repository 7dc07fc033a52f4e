import type { Alert, Model, Monitor, WindowResult } from '../api.types';
import { alertTimelineSvg } from '../charts/alert-timeline.svg';
import { heatmapOf } from '../charts/heatmap.model';
import { heatmapSvg } from '../charts/heatmap.svg';
import { timeSeries, type Line } from '../charts/series.chart';
import { h, pill, section, table, tile } from '../dom';
import { fmt, num, percent, time, windowPath, windowText } from '../format';
import {
  alerts,
  model as fetchModel,
  monitors as fetchMonitors,
  statusOf,
  newestWindows,
} from '../model.data';
import { estimatedValue, performanceMetric, realValue, thresholdsOf } from '../performance.series';
import type { PageContext } from '../router';
import { crumbs } from './page.head';
import { alertRows } from './overview.page';

/** Windows the model page draws at most (the newest). */
export const MAX_WINDOWS = 60;

const COLOURS = {
  drift: '#4c78a8',
  real: '#1f2933',
  estimated: '#f58518',
  share: '#8e9aaf',
  threshold: '#b42318',
};

const seconds = (iso: string) => Date.parse(iso) / 1000;

function thresholdLines(x: number[], monitors: readonly Monitor[]): Line[] {
  return monitors.map((m) => ({
    label: `${m.monitorId}: ${m.metric} ${m.op} ${fmt(m.effectiveThreshold)}`,
    values: x.map(() => m.effectiveThreshold),
    stroke: COLOURS.threshold,
    threshold: true,
  }));
}

function header(m: Model, latest: WindowResult | undefined, firing: number): HTMLElement {
  const status = statusOf(latest ?? null, firing);
  const window = [`window ${m.window.size}`, m.window.step ? `every ${m.window.step}` : null]
    .filter(Boolean)
    .join(' ');
  return h(
    'div',
    { class: 'page-head' },
    crumbs(m.modelId),
    h('h1', {}, m.modelId, ' ', pill(status.text, status.tone), ' ', m.task ? pill(m.task, 'task') : null),
    h(
      'p',
      { class: 'note' },
      [m.description, `${Object.keys(m.features).length} features`, window].filter(Boolean).join(' · '),
    ),
  );
}

function tiles(latest: WindowResult | undefined, firing: number): HTMLElement {
  return h(
    'div',
    { class: 'tiles' },
    tile(
      'Last window',
      latest ? time(latest.windowEnd) : '–',
      latest ? 'its end (UTC)' : 'none evaluated yet',
    ),
    tile('Events', latest ? num(latest.eventCount) : '–', 'in the last window'),
    tile(
      'Drift share',
      latest ? percent(latest.drift.driftShare) : '–',
      latest ? (latest.drift.datasetDrift ? 'data set drift' : 'no data set drift') : null,
      latest?.drift.datasetDrift ? 'bad' : latest ? 'ok' : undefined,
    ),
    tile('Firing alerts', String(firing), null, firing > 0 ? 'bad' : 'ok'),
  );
}

function windowRows(modelId: string, shown: readonly WindowResult[], metric: string): HTMLTableRowElement[] {
  return [...shown]
    .reverse()
    .slice(0, 10)
    .map((w) =>
      h(
        'tr',
        {},
        h(
          'td',
          {},
          h(
            'a',
            { href: windowPath(modelId, w.windowStart, w.windowEnd), class: 'window-link' },
            windowText(w.windowStart, w.windowEnd),
          ),
        ),
        h('td', { class: 'num' }, num(w.eventCount)),
        h('td', { class: 'num' }, percent(w.drift.driftShare)),
        h(
          'td',
          {},
          w.drift.columns
            .filter((c) => c.drifted)
            .map((c) => c.column)
            .join(', ') || '–',
        ),
        h('td', { class: 'num' }, percent(w.performance?.labelledShare)),
        h('td', { class: 'num' }, num(realValue(w, metric))),
        h('td', { class: 'num' }, num(estimatedValue(w, metric))),
      ),
    );
}

/** A model: drift heatmap, drift share, real and estimated performance, alerts, recent windows. */
export async function modelPage(root: HTMLElement, { params }: PageContext): Promise<void> {
  const { modelId } = params;
  document.title = `${modelId} · Driftline`;
  const [m, monitors, modelAlerts] = await Promise.all([
    fetchModel(modelId),
    fetchMonitors(modelId),
    alerts({ modelId }),
  ]);
  const { windows: shown, more } = await newestWindows(m, MAX_WINDOWS);
  const latest = shown[shown.length - 1];
  const firing = modelAlerts.filter((a) => a.status === 'firing');
  root.append(header(m, latest, firing.length), tiles(latest, firing.length));
  if (shown.length === 0) {
    root.append(
      h('p', { class: 'note' }, 'No window evaluated yet: windows appear once events pass their end.'),
    );
    return;
  }
  const width = root.clientWidth || 1100;
  const x = shown.map((w) => seconds(w.windowEnd));
  const note = more ? `the newest ${shown.length} windows` : `${shown.length} windows`;

  const heat = section(
    'Drift by feature',
    `${note}. Colour: how far each column's p-value or statistic is past its threshold; a dot marks a drifted cell. Hover for the value, threshold and method; click to open the window.`,
  );
  heat.append(h('div', { class: 'scroll' }, heatmapSvg(modelId, heatmapOf(shown), width)));
  root.append(heat);

  const driftBox = section(
    'Drift share',
    `share of features that drifted, per window end (UTC); data set drift at ≥ ${percent(m.driftShare ?? 0.5)}`,
  );
  root.append(driftBox);
  timeSeries(driftBox, {
    name: 'drift-share',
    x,
    yRange: [0, 1],
    yPercent: true,
    lines: [
      { label: 'drift share', values: shown.map((w) => w.drift.driftShare), stroke: COLOURS.drift },
      {
        label: 'data set drift',
        values: x.map(() => m.driftShare ?? 0.5),
        stroke: '#9aa5b1',
        threshold: true,
      },
      ...thresholdLines(x, thresholdsOf(monitors, ['drift_share'])),
    ],
  });

  const metric = performanceMetric(m, monitors);
  const hasEstimate = shown.some((w) => estimatedValue(w, metric) !== null);
  const perfBox = section(
    'Performance',
    `${metric} from the labels received so far${hasEstimate ? ', and as CBPE estimates it before any label' : ''}; the labelled share on the right axis`,
  );
  root.append(perfBox);
  timeSeries(perfBox, {
    name: 'performance',
    x,
    lines: [
      { label: metric, values: shown.map((w) => realValue(w, metric)), stroke: COLOURS.real },
      ...(hasEstimate
        ? [
            {
              label: `estimated ${metric}`,
              values: shown.map((w) => estimatedValue(w, metric)),
              stroke: COLOURS.estimated,
            },
          ]
        : []),
      {
        label: 'labelled share',
        values: shown.map((w) => w.performance?.labelledShare ?? null),
        stroke: COLOURS.share,
        scale: 'share' as const,
      },
      ...thresholdLines(x, thresholdsOf(monitors, [metric, `estimated_${metric}`])),
    ],
  });

  root.append(alertSection(modelAlerts, shown, width));
  root.append(
    section(
      'Recent windows',
      null,
      table(
        ['Window (UTC)', 'Events', 'Drift share', 'Drifted', 'Labelled', metric, `estimated ${metric}`],
        windowRows(modelId, shown, metric),
        { class: 'windows' },
      ),
    ),
  );
}

function alertSection(list: readonly Alert[], shown: readonly WindowResult[], width: number): HTMLElement {
  const box = section(
    'Alerts',
    list.length === 0 ? 'No alert yet.' : `${list.length} alerts; click a bar for its evidence`,
  );
  if (list.length === 0) return box;
  const from = Math.min(Date.parse(shown[0].windowStart), ...list.map((a) => Date.parse(a.startsAt)));
  const until = Math.max(
    Date.parse(shown[shown.length - 1].windowEnd),
    ...list.map((a) => Date.parse(a.endsAt ?? a.startsAt)),
  );
  box.append(
    h('div', { class: 'scroll' }, alertTimelineSvg(list, from, until, width)),
    table(['Status', 'Alert', 'Value vs threshold', 'Since', 'Until'], alertRows(list, false), {
      class: 'alerts',
    }),
  );
  return box;
}
