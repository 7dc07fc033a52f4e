import type { Alert, Model, WindowResult } from '../api.types';
import { h, pill, section, table } from '../dom';
import { num, percent, time } from '../format';
import { alerts, latestWindow, models, statusOf } from '../model.data';

function modelRow(m: Model, latest: WindowResult | null, firing: Alert[]): HTMLTableRowElement {
  const status = statusOf(latest, firing.length);
  const link = `/models/${encodeURIComponent(m.modelId)}`;
  return h(
    'tr',
    { 'data-model': m.modelId },
    h(
      'td',
      {},
      h('a', { href: link, class: 'strong' }, m.modelId),
      h('div', { class: 'sub' }, m.description ?? ''),
    ),
    h('td', {}, m.task ?? '–'),
    h('td', {}, pill(status.text, status.tone)),
    h('td', { class: 'num' }, latest === null ? '–' : time(latest.windowEnd)),
    h('td', { class: 'num' }, latest === null ? '–' : num(latest.eventCount)),
    h('td', { class: 'num' }, latest === null ? '–' : percent(latest.drift.driftShare)),
    h('td', { class: 'num' }, String(firing.length)),
  );
}

export function alertRows(list: readonly Alert[], withModel: boolean): HTMLTableRowElement[] {
  return list.map((a) =>
    h(
      'tr',
      { 'data-alert': a.alertId },
      h('td', {}, pill(a.status, a.status === 'firing' ? 'bad' : 'muted'), ' ', pill(a.severity, 'task')),
      withModel ? h('td', {}, a.modelId) : null,
      h('td', {}, h('a', { href: `/alerts/${encodeURIComponent(a.alertId)}` }, a.summary)),
      h('td', { class: 'num' }, `${num(a.value)} vs ${num(a.threshold)}`),
      h('td', { class: 'num' }, time(a.startsAt)),
      h('td', { class: 'num' }, a.endsAt === null ? 'firing' : time(a.endsAt)),
    ),
  );
}

/** Every model: its status, its last window (end, events, drift share) and its firing alerts. */
export async function overviewPage(root: HTMLElement): Promise<void> {
  document.title = 'Models · Driftline';
  const [list, firing] = await Promise.all([models(), alerts({ status: 'firing' })]);
  const latest = await Promise.all(list.map((m) => latestWindow(m.modelId)));
  const firingOf = (id: string) => firing.filter((a) => a.modelId === id);
  root.append(
    h('h1', {}, 'Models'),
    list.length === 0
      ? h('p', { class: 'note' }, 'No model registered yet: POST /v1/models (see the README).')
      : table(
          [
            'Model',
            'Task',
            'Status',
            'Last window end (UTC)',
            'Events (last window)',
            'Drift share',
            'Firing alerts',
          ],
          list.map((m, i) => modelRow(m, latest[i], firingOf(m.modelId))),
          { class: 'models' },
        ),
    section(
      'Firing alerts',
      firing.length === 0 ? 'Nothing is firing.' : null,
      firing.length === 0
        ? null
        : table(
            ['Status', 'Model', 'Alert', 'Value vs threshold', 'Since', 'Until'],
            alertRows(firing, true),
            {
              class: 'alerts',
            },
          ),
    ),
  );
}
