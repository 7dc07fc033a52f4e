import type { AlertEvent } from '@driftline/contracts';
import { AlertFactory } from '../../../test/factories/alert.factory';
import { AlertMuter, INHIBITING_METRIC, type SilenceWindow } from './alert.muter';
import { AlertRouter, type RoutedGroup, type RouteSettings, type RouteTimers } from './alert.router';
import { firstFlushAt, flushGroup, type NotificationLogEntry } from './group.flush';

/**
 * The notifier's core over a controlled clock, end to end: routing, group wait, group interval,
 * repeat interval, resolution, silences and inhibition, in the way of Alertmanager's dedup and
 * acceptance tests. The timeline plays what the intake and the flush do with Postgres, in memory.
 */
const S = 1000;
const DEFAULTS: RouteTimers = {
  groupWaitMs: 30 * S,
  groupIntervalMs: 300 * S,
  repeatIntervalMs: 4 * 3600 * S,
};

interface Sent {
  at: number;
  route: string;
  group: string;
  kind: 'firing' | 'resolved';
  firing: string[];
  resolved: string[];
}

class Timeline {
  private now = 0;
  private readonly alerts = new Map<string, AlertEvent>();
  private readonly groups = new Map<
    string,
    { routed: RoutedGroup; members: Set<string>; log: NotificationLogEntry | null; next: number }
  >();
  readonly sent: Sent[] = [];
  private readonly router: AlertRouter;

  constructor(
    routes: RouteSettings[],
    defaultChannels: string[],
    private readonly silences: SilenceWindow[],
  ) {
    this.router = new AlertRouter(routes, DEFAULTS, defaultChannels);
  }

  /** What the intake does in the batch transaction. */
  receive(event: AlertEvent): void {
    const known = this.alerts.get(event.alertId);
    if (known !== undefined && !(known.status === 'firing' && event.status === 'resolved')) return;
    this.alerts.set(event.alertId, event);
    if (known !== undefined || event.status === 'resolved') return;
    for (const routed of this.router.route(event)) {
      const key = `${routed.route.id} ${routed.groupKey}`;
      let group = this.groups.get(key);
      if (group === undefined) {
        group = {
          routed,
          members: new Set(),
          log: null,
          next: firstFlushAt(this.now, routed.route.timers.groupWaitMs),
        };
        this.groups.set(key, group);
      }
      group.members.add(event.alertId);
    }
  }

  /** What the flush task does, at each group's due time up to `until`. */
  advanceTo(until: number): void {
    for (;;) {
      const due = [...this.groups.entries()]
        .filter(([, g]) => g.next <= until)
        .sort(([, a], [, b]) => a.next - b.next);
      if (due.length === 0) break;
      const [key, group] = due[0];
      this.now = Math.max(this.now, group.next);
      const inhibitors = [...this.alerts.values()].filter((a) => a.metric === INHIBITING_METRIC);
      const muter = new AlertMuter(this.silences, inhibitors, this.now);
      const members = [...group.members].map((id) => this.alerts.get(id)!);
      const outcome = flushGroup(
        members.map((a) => ({ alertId: a.alertId, status: a.status, muted: muter.muted(a) !== null })),
        group.log,
        group.routed.route.timers,
        this.now,
      );
      if (outcome.notification !== null) {
        this.sent.push({
          at: this.now / S,
          route: group.routed.route.id,
          group: Object.values(group.routed.groupLabels).join(' '),
          ...outcome.notification,
        });
      }
      group.log = outcome.log;
      for (const id of outcome.remove) group.members.delete(id);
      if (outcome.nextFlushAt === null) this.groups.delete(key);
      else group.next = outcome.nextFlushAt;
    }
    this.now = until;
  }
}

type Step = { at: number; fire: AlertEvent } | { at: number; resolve: AlertEvent };

const route = (id: string, overrides: Partial<RouteSettings> = {}): RouteSettings => ({
  id,
  order: 0,
  matchers: [],
  channels: [`${id}-channel`],
  groupBy: ['modelId'],
  groupWaitMs: null,
  groupIntervalMs: null,
  repeatIntervalMs: null,
  continue: false,
  ...overrides,
});

const alert = (name: string, overrides: Partial<AlertEvent> = {}) =>
  AlertFactory.create({ alertId: name, modelId: 'bikes', ...overrides });

const [A, B, C] = ['A', 'B', 'C'].map((name) => alert(name, { feature: `f${name}` }));
const OTHER = alert('O', { modelId: 'taxis' });
const DATASET = alert('D', { metric: 'dataset_drift', feature: null, monitorId: 'dataset' });
const F1 = alert('F1', { metric: 'drift_statistic', feature: 'temp' });
const F2 = alert('F2', { metric: 'drifted', feature: 'hum' });
const SHARE = alert('S', { metric: 'drift_share', feature: null, monitorId: 'share' });
const OTHER_DRIFT = alert('OD', { modelId: 'taxis', metric: 'drifted', feature: 'hum' });

const routing = [
  route('critical', {
    order: 1,
    matchers: [{ name: 'severity', op: '=~', value: 'critical|page' }],
    continue: true,
  }),
  route('ml-team', { order: 2, matchers: [{ name: 'team', op: '=~', value: 'ml.*' }] }),
  route('catch-all', { order: 3 }),
];
const X = alert('X', { severity: 'critical', labels: { team: 'ml' } });
const Y = alert('Y', { labels: { team: 'ml-platform' } });
const Z = alert('Z', { labels: { team: 'data' } });
const W = alert('W', { monitorId: 'w', labels: { team: 'data' }, metric: 'accuracy', feature: null });

const sent = (at: number, firing: string[], resolved: string[] = [], extra: Partial<Sent> = {}): Sent => ({
  at,
  route: 'all',
  group: 'bikes',
  kind: firing.length === 0 ? 'resolved' : 'firing',
  firing,
  resolved,
  ...extra,
});

describe('the notification pipeline on a controlled clock', () => {
  it.each<{
    name: string;
    routes?: RouteSettings[];
    defaultChannels?: string[];
    silences?: SilenceWindow[];
    steps: Step[];
    until: number;
    expected: Sent[];
  }>([
    {
      name: 'group_wait: alerts of one model firing within it go out as one message',
      steps: [
        { at: 0, fire: A },
        { at: 10, fire: B },
        { at: 29, fire: C },
      ],
      until: 299,
      expected: [sent(30, ['A', 'B', 'C'])],
    },
    {
      name: 'group_interval: an alert joining a notified group waits for the next interval',
      steps: [
        { at: 0, fire: A },
        { at: 60, fire: B },
      ],
      until: 1000,
      expected: [sent(30, ['A']), sent(330, ['A', 'B'])],
    },
    {
      name: 'repeat_interval: an unchanged group is told again',
      routes: [route('all', { repeatIntervalMs: 3600 * S })],
      steps: [{ at: 0, fire: A }],
      until: 7300,
      expected: [sent(30, ['A']), sent(3630, ['A']), sent(7230, ['A'])],
    },
    {
      name: 'repeat_interval is in effect rounded up to a multiple of group_interval',
      routes: [route('all', { repeatIntervalMs: 62 * 60 * S })],
      steps: [{ at: 0, fire: A }],
      until: 4000,
      expected: [sent(30, ['A']), sent(3930, ['A'])],
    },
    {
      name: 'resolve: once every alert resolved, one "resolved" message, and the group ends',
      steps: [
        { at: 0, fire: A },
        { at: 0, fire: B },
        { at: 100, resolve: A },
        { at: 120, resolve: B },
      ],
      until: 20_000,
      expected: [sent(30, ['A', 'B']), sent(330, [], ['A', 'B'])],
    },
    {
      name: 'a partial resolution is an update; the last one a "resolved" message',
      steps: [
        { at: 0, fire: A },
        { at: 0, fire: B },
        { at: 100, resolve: A },
        { at: 400, resolve: B },
      ],
      until: 2000,
      expected: [sent(30, ['A', 'B']), sent(330, ['B'], ['A']), sent(630, [], ['B'])],
    },
    {
      name: 'an alert that fired and resolved within group_wait is never told',
      steps: [
        { at: 0, fire: A },
        { at: 20, resolve: A },
      ],
      until: 2000,
      expected: [],
    },
    {
      name: 'a group after the last one ended starts with group_wait again',
      steps: [
        { at: 0, fire: A },
        { at: 100, resolve: A },
        { at: 1000, fire: B },
      ],
      until: 1100,
      expected: [sent(30, ['A']), sent(330, [], ['A']), sent(1030, ['B'])],
    },
    {
      name: 'a redelivered event changes nothing: a late firing after the resolution is ignored',
      steps: [
        { at: 0, fire: A },
        { at: 100, resolve: A },
        { at: 200, fire: A },
        { at: 400, fire: A },
      ],
      until: 2000,
      expected: [sent(30, ['A']), sent(330, [], ['A'])],
    },
    {
      name: 'groupBy modelId: one group and one message per model',
      steps: [
        { at: 0, fire: A },
        { at: 5, fire: OTHER },
      ],
      until: 100,
      expected: [sent(30, ['A']), sent(35, ['O'], [], { group: 'taxis' })],
    },
    {
      name: 'silence: an active silence mutes; after it ends the next flush tells',
      silences: [
        { id: 's1', matchers: [{ name: 'modelId', op: '=', value: 'bikes' }], startsAt: 0, endsAt: 200 * S },
      ],
      steps: [
        { at: 0, fire: A },
        { at: 0, fire: OTHER },
      ],
      until: 400,
      expected: [sent(30, ['O'], [], { group: 'taxis' }), sent(330, ['A'])],
    },
    {
      name: 'silence: a matcher that does not hold mutes nothing; a regex one is anchored',
      silences: [
        { id: 's1', matchers: [{ name: 'feature', op: '=~', value: 'f' }], startsAt: 0, endsAt: 1e9 },
        { id: 's2', matchers: [{ name: 'feature', op: '=~', value: 'fB|fC' }], startsAt: 0, endsAt: 1e9 },
      ],
      steps: [
        { at: 0, fire: A },
        { at: 0, fire: B },
        { at: 0, fire: C },
      ],
      until: 100,
      expected: [sent(30, ['A'])],
    },
    {
      name: 'inhibition: a firing dataset_drift alert mutes its model’s per-feature drift alerts only',
      steps: [
        { at: 0, fire: DATASET },
        { at: 0, fire: F1 },
        { at: 0, fire: F2 },
        { at: 0, fire: SHARE },
        { at: 0, fire: OTHER_DRIFT },
        { at: 100, resolve: DATASET },
      ],
      until: 400,
      expected: [
        sent(30, ['D', 'S']),
        sent(30, ['OD'], [], { group: 'taxis' }),
        sent(330, ['F1', 'F2', 'S'], ['D']),
      ],
    },
    {
      name: 'routing: first match by order, continue keeps matching, regexes anchored',
      routes: routing,
      steps: [
        { at: 0, fire: X },
        { at: 0, fire: Y },
        { at: 0, fire: Z },
        { at: 0, fire: W },
      ],
      until: 100,
      expected: [
        sent(30, ['X'], [], { route: 'critical' }),
        sent(30, ['X', 'Y'], [], { route: 'ml-team' }),
        sent(30, ['Z', 'W'], [], { route: 'catch-all' }),
      ],
    },
    {
      name: 'routing: a route with its own timers and groupBy',
      routes: [
        route('all', { groupWaitMs: 5 * S, groupIntervalMs: 60 * S, groupBy: ['modelId', 'feature'] }),
      ],
      steps: [
        { at: 0, fire: A },
        { at: 1, fire: B },
        { at: 20, resolve: A },
      ],
      until: 100,
      expected: [
        sent(5, ['A'], [], { group: 'bikes fA' }),
        sent(6, ['B'], [], { group: 'bikes fB' }),
        sent(65, [], ['A'], { group: 'bikes fA' }),
      ],
    },
    {
      name: 'no route matches and no default channels: nobody is told',
      routes: [route('taxis-only', { matchers: [{ name: 'modelId', op: '=', value: 'taxis' }] })],
      steps: [{ at: 0, fire: A }],
      until: 1000,
      expected: [],
    },
    {
      name: 'no route matches: the default channels get it, grouped by model',
      routes: [route('taxis-only', { matchers: [{ name: 'modelId', op: '=', value: 'taxis' }] })],
      defaultChannels: ['oncall'],
      steps: [{ at: 0, fire: A }],
      until: 100,
      expected: [sent(30, ['A'], [], { route: '(default)' })],
    },
  ])('$name', ({ routes = [route('all')], defaultChannels = [], silences = [], steps, until, expected }) => {
    const timeline = new Timeline(routes, defaultChannels, silences);
    for (const step of steps) {
      timeline.advanceTo(step.at * S);
      timeline.receive('fire' in step ? step.fire : AlertFactory.resolved(step.resolve));
    }
    timeline.advanceTo(until * S);
    const order = (s: Sent) => `${String(s.at).padStart(8, '0')} ${s.route} ${s.group}`;
    expect([...timeline.sent].sort((a, b) => order(a).localeCompare(order(b)))).toEqual(
      [...expected].sort((a, b) => order(a).localeCompare(order(b))),
    );
  });
});
