import type { ColumnDriftResult } from '../api.types';
import { h, section, table, tile } from '../dom';
import { driftRule, num, percent, windowText } from '../format';
import type { PageContext } from '../router';
import { crumbs } from './page.head';
import { distributions, windowResult } from '../window.data';
import { columnCard, driftPill, legend } from './column.cards';

function summaryRow(c: ColumnDriftResult): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-column': c.column },
    h('td', {}, h('a', { href: `#col-${encodeURIComponent(c.column)}` }, c.column)),
    h('td', {}, c.type),
    h('td', {}, c.method),
    h('td', { class: 'num' }, num(c.statistic)),
    h('td', { class: 'num' }, num(c.pValue)),
    h('td', {}, driftRule(c)),
    h('td', { class: 'num' }, percent(c.missingShare)),
    h('td', {}, driftPill(c.drifted)),
  );
}

/** A window: its figures, each column's test, and each column's reference against current. */
export async function windowPage(root: HTMLElement, { params, query }: PageContext): Promise<void> {
  const { modelId } = params;
  const [start, end] = [query.get('start') ?? '', query.get('end') ?? ''];
  document.title = `${modelId} window · Driftline`;
  root.append(
    h(
      'div',
      { class: 'page-head' },
      crumbs(modelId, 'window'),
      h('h1', {}, windowText(start, end), h('small', {}, ' UTC')),
    ),
  );
  const [w, dist] = await Promise.all([
    windowResult(modelId, start, end),
    distributions(modelId, start, end),
  ]);
  if (w === null) {
    root.append(h('p', { class: 'note' }, 'This window has no stored result.'));
    return;
  }
  const tested = [...w.drift.columns, ...(w.drift.predictionDrift ?? [])];
  const drifted = w.drift.columns.filter((c) => c.drifted).length;
  root.append(
    h(
      'div',
      { class: 'tiles' },
      tile(
        'Events',
        num(w.eventCount),
        `${num(w.lateEvents)} late, ${num(w.duplicateEvents)} duplicates left out`,
      ),
      tile(
        'Drift share',
        percent(w.drift.driftShare),
        w.drift.datasetDrift ? 'data set drift' : 'no data set drift',
        w.drift.datasetDrift ? 'bad' : 'ok',
      ),
      tile('Drifted features', `${drifted} of ${w.drift.columns.length}`),
      tile(
        'Labelled',
        percent(w.performance?.labelledShare),
        w.performance ? 'of the window has ground truth' : 'no labels yet',
      ),
    ),
    section(
      'Columns',
      w.drift.skipped?.length
        ? `Not compared: ${w.drift.skipped.map((s) => `${s.column} (${s.reason})`).join(', ')}`
        : null,
      table(
        ['Column', 'Type', 'Method', 'Statistic', 'p-value', 'Drift when', 'Missing', ''],
        tested.map(summaryRow),
        {
          class: 'columns',
        },
      ),
    ),
    section(
      'Reference against current',
      dist.referenceName === null ? 'The model has no reference.' : `reference “${dist.referenceName}”`,
      legend(),
      h('div', { class: 'charts' }, ...dist.columns.map((d) => columnCard(d, w))),
    ),
  );
}
