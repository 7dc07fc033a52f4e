import type { Alert } from '../api.types';
import { s, svgFigure } from '../dom';
import { num, time } from '../format';

const LABEL_W = 150;
const ROW_H = 22;
const AXIS_H = 26;

function rowOf(a: Alert): string {
  return a.feature === null ? a.monitorId : `${a.monitorId} · ${a.feature}`;
}

/**
 * The model's alerts on the windows' time axis, one row per monitor (and feature): a bar per alert
 * from its start to its end (or to `until` while it fires), each a link to its alert page.
 */
export function alertTimelineSvg(
  alerts: readonly Alert[],
  from: number,
  until: number,
  width: number,
): SVGSVGElement {
  const rows = [...new Set(alerts.map(rowOf))].sort();
  const plotW = Math.max(200, width - LABEL_W - 16);
  const span = Math.max(1, until - from);
  const x = (t: number) => LABEL_W + ((Math.min(Math.max(t, from), until) - from) / span) * plotW;
  const height = rows.length * ROW_H + AXIS_H;
  const svg = svgFigure('timeline', LABEL_W + plotW + 16, height, `${alerts.length} alerts over time`);
  rows.forEach((row, i) => {
    const y = i * ROW_H;
    svg.append(
      s('line', { class: 'grid', x1: LABEL_W, x2: LABEL_W + plotW, y1: y + ROW_H / 2, y2: y + ROW_H / 2 }),
      s('text', { class: 'label', x: LABEL_W - 8, y: y + ROW_H / 2 + 4, 'text-anchor': 'end' }, row),
    );
  });
  for (const a of alerts) {
    const y = rows.indexOf(rowOf(a)) * ROW_H + 4;
    const start = Date.parse(a.startsAt);
    const end = a.endsAt === null ? until : Date.parse(a.endsAt);
    const x0 = x(start);
    const w = Math.max(6, x(end) - x0);
    const title = `${a.severity} · ${a.metric}${a.feature === null ? '' : ` (${a.feature})`} = ${num(a.value)}, threshold ${num(a.threshold)}\n${time(a.startsAt)} → ${a.endsAt === null ? 'firing' : time(a.endsAt)}`;
    svg.append(
      s(
        'a',
        { href: `/alerts/${encodeURIComponent(a.alertId)}` },
        s(
          'rect',
          {
            class: `alert-bar ${a.status} ${a.severity}`,
            x: x0,
            y,
            width: w,
            height: ROW_H - 8,
            rx: 3,
            'data-alert-id': a.alertId,
          },
          s('title', {}, title),
        ),
      ),
    );
  }
  const baseY = rows.length * ROW_H + 4;
  for (let k = 0; k <= 4; k++) {
    const t = from + (span * k) / 4;
    svg.append(
      s(
        'text',
        {
          class: 'tick',
          x: x(t),
          y: baseY + 12,
          'text-anchor': k === 0 ? 'start' : k === 4 ? 'end' : 'middle',
        },
        time(new Date(t).toISOString()).slice(5, 16),
      ),
    );
  }
  return svg;
}
