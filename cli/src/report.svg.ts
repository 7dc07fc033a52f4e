import { fmt, type ColumnChart } from './chart.model';

const WIDTH = 560;
const MARGIN = { left: 48, right: 14, top: 14 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = 184;
/** Room under the plot for slanted labels (bin edges, many categories) or level ones. */
const SLANTED_BOTTOM = 60;
const LEVEL_BOTTOM = 30;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function percent(share: number): string {
  const p = share * 100;
  const digits = Number.isInteger(Number(p.toFixed(6))) || p >= 10 ? 0 : p < 0.1 ? 2 : 1;
  return `${p.toFixed(digits)}%`;
}

function slanted(chart: ColumnChart): boolean {
  return chart.kind === 'histogram' || chart.bars.length > 6;
}

/** The top of the share axis: the smallest of 5%, 10%, 20%, 25%, 50%, ... steps that holds the tallest bar. */
function axisTop(max: number): { top: number; step: number } {
  for (const step of [0.01, 0.02, 0.05, 0.1, 0.2, 0.25]) {
    const top = Math.ceil(max / step - 1e-9) * step;
    if (top / step <= 5) return { top: Math.max(top, step), step };
  }
  return { top: Math.ceil(max / 0.25 - 1e-9) * 0.25, step: 0.25 };
}

function shorten(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

function yAxis(top: number, step: number, y: (share: number) => number): string {
  const lines: string[] = [];
  for (let k = 0; k * step <= top + 1e-9; k++) {
    const s = k * step;
    lines.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(s)}" y2="${y(s)}"/>`,
      `<text class="tick" x="${MARGIN.left - 6}" y="${y(s) + 4}" text-anchor="end">${percent(s)}</text>`,
    );
  }
  return lines.join('');
}

function xLabels(chart: ColumnChart, groupW: number): string {
  const baseY = MARGIN.top + PLOT_H;
  if (chart.kind === 'histogram' && chart.range) {
    const bounds = [chart.range[0], ...chart.edges, chart.range[1]];
    const every = Math.ceil(bounds.length / 12);
    return bounds
      .map((b, i) => {
        const x = MARGIN.left + i * groupW;
        const tickLine = `<line class="axis" x1="${x}" x2="${x}" y1="${baseY}" y2="${baseY + 4}"/>`;
        if (i % every !== 0 && i !== bounds.length - 1) return tickLine;
        const anchor = `text-anchor="end" transform="rotate(-40 ${x} ${baseY + 14})"`;
        return `${tickLine}<text class="tick" x="${x}" y="${baseY + 14}" ${anchor}>${escapeHtml(fmt(b))}</text>`;
      })
      .join('');
  }
  const rotate = slanted(chart);
  return chart.bars
    .map((bar, i) => {
      const x = MARGIN.left + (i + 0.5) * groupW;
      const text = escapeHtml(shorten(bar.label, rotate ? 14 : 18));
      const attrs = rotate
        ? `text-anchor="end" transform="rotate(-40 ${x} ${baseY + 14})"`
        : 'text-anchor="middle"';
      return `<text class="tick" x="${x}" y="${baseY + 16}" ${attrs}><title>${escapeHtml(bar.label)}</title>${text}</text>`;
    })
    .join('');
}

/**
 * A grouped bar chart of reference against current shares as inline SVG: one group per bin or
 * category, every bar a `rect.bar` whose height is proportional to its share.
 */
export function chartSvg(chart: ColumnChart): string {
  const max = Math.max(...chart.bars.flatMap((b) => [b.reference, b.current]));
  const { top, step } = axisTop(max);
  const y = (share: number) => Number((MARGIN.top + PLOT_H * (1 - share / top)).toFixed(2));
  const groupW = PLOT_W / chart.bars.length;
  const barW = Math.max(1, Math.min(40, groupW * 0.36));
  const height = MARGIN.top + PLOT_H + (slanted(chart) ? SLANTED_BOTTOM : LEVEL_BOTTOM);
  const rects = chart.bars
    .map((bar, i) => {
      const mid = MARGIN.left + (i + 0.5) * groupW;
      return (['reference', 'current'] as const)
        .map((series, k) => {
          const share = bar[series];
          const count = series === 'reference' ? bar.referenceCount : bar.currentCount;
          const h = Number(((share / top) * PLOT_H).toFixed(2));
          const x = Number((mid + (k === 0 ? -barW - 1 : 1)).toFixed(2));
          const tip = `${series === 'reference' ? 'Reference' : 'Current'} · ${bar.label}: ${percent(share)} (${count} rows)`;
          return `<rect class="bar ${series}" data-share="${share}" x="${x}" y="${(MARGIN.top + PLOT_H - h).toFixed(2)}" width="${barW.toFixed(2)}" height="${h}" rx="1.5"><title>${escapeHtml(tip)}</title></rect>`;
        })
        .join('');
    })
    .join('');
  const baseY = MARGIN.top + PLOT_H;
  return [
    `<svg class="chart" data-column="${escapeHtml(chart.column)}" data-kind="${chart.kind}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(`Reference and current shares of ${chart.column}`)}">`,
    yAxis(top, step, y),
    rects,
    `<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${baseY}" y2="${baseY}"/>`,
    xLabels(chart, groupW),
    '</svg>',
  ].join('');
}
