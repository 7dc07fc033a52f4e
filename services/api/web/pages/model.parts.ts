import type { Alert, Model, WindowResult } from '../api.types';
import { alertTimelineSvg } from '../charts/alert-timeline.svg';
import { h, pill, section, table, tile } from '../dom';
import { num, percent, time, windowPath, windowText } from '../format';
import { statusOf } from '../model.data';
import { estimatedValue, realValue } from '../performance.series';
import { alertRows } from './overview.page';
import { crumbs } from './page.head';

/** The parts of the model page around its charts: head, tiles, alerts and recent windows. */

export function header(m: Model, latest: WindowResult | undefined, firing: number): HTMLElement {
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

export function tiles(latest: WindowResult | undefined, firing: number): HTMLElement {
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

export function windowRows(
  modelId: string,
  shown: readonly WindowResult[],
  metric: string,
): HTMLTableRowElement[] {
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

export function alertSection(
  list: readonly Alert[],
  shown: readonly WindowResult[],
  width: number,
): HTMLElement {
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
