import type { Monitor } from '../api.types';
import { heatmapOf } from '../charts/heatmap.model';
import { heatmapSvg } from '../charts/heatmap.svg';
import { timeSeries, type Line } from '../charts/series.chart';
import { h, section, table } from '../dom';
import { fmt, percent } from '../format';
import { alerts, model as fetchModel, monitors as fetchMonitors, newestWindows } from '../model.data';
import { estimatedValue, performanceMetric, realValue, thresholdsOf } from '../performance.series';
import type { PageContext } from '../router';
import { alertSection, header, tiles, windowRows } from './model.parts';

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
