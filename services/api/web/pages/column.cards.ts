import { chartSvg } from '../../../../cli/src/report.svg';
import type { ColumnDistribution, ColumnDriftResult, WindowResult } from '../api.types';
import { distributionChart } from '../charts/distribution.chart';
import { h, pill } from '../dom';
import { driftRule, num, percent } from '../format';

/** The drift result of a distribution's column: by name, the prediction and score by their role. */
function resultOf(d: ColumnDistribution, window: WindowResult): ColumnDriftResult | undefined {
  const all = [...window.drift.columns, ...(window.drift.predictionDrift ?? [])];
  const name = d.role === 'prediction' ? '__prediction__' : d.role === 'score' ? '__score__' : d.column;
  return all.find((c) => c.column === d.column) ?? all.find((c) => c.column === name);
}

export function driftPill(drifted: boolean): HTMLElement {
  return pill(drifted ? 'drift' : 'no drift', drifted ? 'bad' : 'ok');
}

export function columnFacts(r: ColumnDriftResult): string {
  const facts = [r.type, r.method, `statistic ${num(r.statistic)}`];
  if (r.pValue !== null) facts.push(`p ${num(r.pValue)}`);
  facts.push(`drift when ${driftRule(r)}`, `missing ${percent(r.missingShare)}`);
  return facts.join(' · ');
}

/**
 * A card per column as the offline report draws it: reference against current shares on the
 * reference bins or categories, with the column's method, statistic, p-value and threshold.
 */
export function columnCard(d: ColumnDistribution, window: WindowResult): HTMLElement {
  const r = resultOf(d, window);
  const chart = distributionChart(d);
  const card = h(
    'div',
    { class: 'card column', id: `col-${r?.column ?? d.column}`, 'data-column': d.column },
    h(
      'h3',
      {},
      h(
        'span',
        {},
        d.column,
        d.role === 'feature' || d.role === d.column ? null : h('small', {}, ` ${d.role}`),
      ),
      r ? driftPill(r.drifted) : null,
    ),
    h('div', { class: 'facts' }, r ? columnFacts(r) : `${d.type} · not tested in this window`),
    d.reference === null
      ? h('p', { class: 'note' }, 'The reference was replaced since this window: its bins differ.')
      : null,
  );
  const svg = h('div', { class: 'chart-box' });
  if (chart === null) svg.append(h('p', { class: 'note' }, 'No value in this window.'));
  else svg.innerHTML = chartSvg(chart); // chartSvg escapes every label
  card.append(svg);
  return card;
}

export function legend(): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    h('span', { class: 'ref' }, 'Reference'),
    h('span', { class: 'cur' }, 'Current window'),
    h('span', {}, 'share of rows per bin (numeric, reference bins) or category'),
  );
}
