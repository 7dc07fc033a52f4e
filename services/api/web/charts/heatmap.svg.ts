import { s, svgFigure } from '../dom';
import { driftRule, num, time, windowPath } from '../format';
import type { HeatCell, Heatmap } from './heatmap.model';
import { severityColour } from './heatmap.model';

const LABEL_W = 150;
const CELL_H = 22;
const GAP = 2;
const AXIS_H = 58;

function tip(cell: HeatCell): string {
  const head = `${cell.feature} · ${time(cell.windowStart)} → ${time(cell.windowEnd)}`;
  const r = cell.result;
  if (r === null) return `${head}\nnot tested in this window`;
  const value =
    r.pValue !== null
      ? `p-value ${num(r.pValue)} (statistic ${num(r.statistic)})`
      : `statistic ${num(r.statistic)}`;
  return `${head}\n${r.method}: ${value}\ndrift when ${driftRule(r)}\n${r.drifted ? 'DRIFTED' : 'no drift'}`;
}

/**
 * Features × windows as an SVG grid: one `rect.cell` per feature and window (drifted ones
 * `.drifted`, with a dot), coloured by how far the statistic or p-value is past its threshold; each
 * cell opens its window, its title tells the value, the threshold and the method.
 */
export function heatmapSvg(modelId: string, map: Heatmap, width: number): SVGSVGElement {
  const n = Math.max(1, map.windows.length);
  const cellW = Math.max(6, Math.min(48, (width - LABEL_W) / n - GAP));
  const plotW = n * (cellW + GAP);
  const height = map.features.length * (CELL_H + GAP) + AXIS_H;
  const label = `Drift of ${map.features.length} features over ${map.windows.length} windows`;
  const svg = svgFigure('heatmap', LABEL_W + plotW + 8, height, label);
  map.rows.forEach((row, r) => {
    const y = r * (CELL_H + GAP);
    svg.append(
      s(
        'text',
        { class: 'label', x: LABEL_W - 8, y: y + CELL_H / 2 + 4, 'text-anchor': 'end' },
        row[0]?.feature ?? '',
      ),
    );
    row.forEach((cell, c) => {
      const x = LABEL_W + c * (cellW + GAP);
      const cls = cell.result === null ? 'cell missing' : cell.result.drifted ? 'cell drifted' : 'cell';
      const link = s('a', {
        href: `${windowPath(modelId, cell.windowStart, cell.windowEnd)}#col-${encodeURIComponent(cell.feature)}`,
      });
      link.append(
        s(
          'rect',
          {
            class: cls,
            x,
            y,
            width: cellW,
            height: CELL_H,
            rx: 2,
            fill: severityColour(cell.severity),
            'data-feature': cell.feature,
            'data-window-end': cell.windowEnd,
          },
          s('title', {}, tip(cell)),
        ),
      );
      if (cell.result?.drifted)
        link.append(
          s('circle', { class: 'mark', cx: x + cellW / 2, cy: y + CELL_H / 2, r: Math.min(3.5, cellW / 4) }),
        );
      svg.append(link);
    });
  });
  const every = Math.max(1, Math.ceil(60 / (cellW + GAP)));
  const baseY = map.features.length * (CELL_H + GAP) + 6;
  map.windows.forEach((w, c) => {
    if (c % every !== 0 && c !== map.windows.length - 1) return;
    const x = LABEL_W + c * (cellW + GAP) + cellW / 2;
    svg.append(
      s(
        'text',
        {
          class: 'tick',
          x,
          y: baseY + 10,
          'text-anchor': 'end',
          transform: `rotate(-35 ${x} ${baseY + 10})`,
        },
        time(w.windowEnd).slice(5, 16),
      ),
    );
  });
  return svg;
}
