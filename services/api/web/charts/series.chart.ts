import uPlot from 'uplot';
import { h } from '../dom';
import { fmt, percent } from '../format';

export interface Line {
  label: string;
  values: (number | null)[];
  stroke: string;
  /** A threshold: dashed, no points. */
  threshold?: boolean;
  /** 'share' plots on the right axis, 0 to 100%. */
  scale?: 'y' | 'share';
}

export interface SeriesOptions {
  /** Names the chart for tests and screenshots (data-series). */
  name: string;
  /** Window ends, in seconds. */
  x: number[];
  lines: Line[];
  /** The y range when the values' own would mislead (a share: 0 to 1). */
  yRange?: [number, number];
  yPercent?: boolean;
  /** An x (seconds) to mark with a vertical line: the alert's window. */
  marker?: number;
}

const HEIGHT = 220;

/**
 * A uPlot time series over windows. Once uPlot has drawn, the host carries `data-drawn` and
 * `data-points`: the first line's drawn points (its non-null values).
 */
export function timeSeries(host: HTMLElement, o: SeriesOptions): HTMLElement {
  const box = h('div', { class: 'series', 'data-series': o.name });
  host.append(box);
  const width = Math.max(320, (host.clientWidth || 900) - 8);
  const hasShare = o.lines.some((l) => l.scale === 'share');
  const yValues = (_: uPlot, ticks: number[]) => ticks.map((t) => (o.yPercent ? percent(t) : fmt(t)));
  const series: uPlot.Series[] = [
    {},
    ...o.lines.map((l): uPlot.Series => ({
      label: l.label,
      stroke: l.stroke,
      width: l.threshold ? 1.5 : 2,
      dash: l.threshold ? [6, 4] : undefined,
      scale: l.scale ?? 'y',
      points: { show: !l.threshold, size: 5 },
      spanGaps: l.threshold === true,
      value: (_: uPlot, v: number | null) =>
        v === null ? '–' : l.scale === 'share' || o.yPercent ? percent(v) : fmt(v),
    })),
  ];
  const axes: uPlot.Axis[] = [{}, { values: yValues, size: 56 }];
  if (hasShare)
    axes.push({ scale: 'share', side: 1, grid: { show: false }, values: (_, t) => t.map(percent), size: 50 });
  const scales: uPlot.Scales = { x: { time: true } };
  scales.y = o.yRange ? { range: o.yRange } : {};
  if (hasShare) scales.share = { range: [0, 1] };
  const marker = o.marker;
  const plugins: uPlot.Plugin[] =
    marker === undefined
      ? []
      : [
          {
            hooks: {
              draw: (u: uPlot) => {
                const x = u.valToPos(marker, 'x', true);
                const ctx = u.ctx;
                ctx.save();
                ctx.strokeStyle = 'rgba(180,35,24,.55)';
                ctx.lineWidth = 2 * devicePixelRatio;
                ctx.beginPath();
                ctx.moveTo(x, u.bbox.top);
                ctx.lineTo(x, u.bbox.top + u.bbox.height);
                ctx.stroke();
                ctx.restore();
              },
            },
          },
        ];
  const data: uPlot.AlignedData = [o.x, ...o.lines.map((l) => l.values)];
  new uPlot(
    {
      width,
      height: HEIGHT,
      series,
      axes,
      scales,
      plugins,
      cursor: { drag: { x: false, y: false } },
      // the dashboard tells every time in UTC, as the API does
      tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { live: true },
      hooks: {
        draw: [
          (u: uPlot) => {
            const first = (u.data[1] ?? []) as (number | null | undefined)[];
            box.dataset.points = String(first.filter((v) => v !== null && v !== undefined).length);
            box.dataset.drawn = 'true';
          },
        ],
      },
    },
    data,
    box,
  );
  return box;
}
