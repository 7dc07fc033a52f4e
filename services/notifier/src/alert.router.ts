import { compileMatchers, type AlertEvent, type LabelMatcher, type LabelSet } from '@driftline/contracts';

/** Alertmanager's three timers, resolved for one route (its own values, else the defaults). */
export interface RouteTimers {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

/** A route as the router reads it: a stored route with its timers resolved. */
export interface Route {
  id: string;
  order: number;
  matchers: readonly LabelMatcher[];
  channels: readonly string[];
  groupBy: readonly string[];
  timers: RouteTimers;
  continue: boolean;
}

/** The stored shape of a route: timers left out (null) take the defaults. */
export interface RouteSettings {
  id: string;
  order: number;
  matchers: readonly LabelMatcher[];
  channels: readonly string[];
  groupBy: readonly string[];
  groupWaitMs: number | null;
  groupIntervalMs: number | null;
  repeatIntervalMs: number | null;
  continue: boolean;
}

/** The route alerts matching no route take when ALERT_DEFAULT_CHANNELS names channels. */
export const DEFAULT_ROUTE_ID = '(default)';

/** One aggregation group an alert belongs to. */
export interface RoutedGroup {
  route: Route;
  /** Unique per route: the groupBy labels and their values, in the route's order. */
  groupKey: string;
  groupLabels: Record<string, string>;
}

/**
 * What routes and silences match on: the monitor's labels, then the alert's own fields (which win
 * over a label of the same name). A model-level alert has no `feature` label, so it reads as "".
 */
export function alertLabels(alert: AlertEvent): Record<string, string> {
  return {
    ...alert.labels,
    modelId: alert.modelId,
    monitorId: alert.monitorId,
    severity: alert.severity,
    metric: alert.metric,
    ...(alert.feature === null ? {} : { feature: alert.feature }),
  };
}

export function resolveRoute(settings: RouteSettings, defaults: RouteTimers): Route {
  return {
    id: settings.id,
    order: settings.order,
    matchers: settings.matchers,
    channels: settings.channels,
    groupBy: settings.groupBy,
    continue: settings.continue,
    timers: {
      groupWaitMs: settings.groupWaitMs ?? defaults.groupWaitMs,
      groupIntervalMs: settings.groupIntervalMs ?? defaults.groupIntervalMs,
      repeatIntervalMs: settings.repeatIntervalMs ?? defaults.repeatIntervalMs,
    },
  };
}

export function groupOf(route: Route, labels: LabelSet): RoutedGroup {
  const pairs = route.groupBy.map((name) => [name, labels[name] ?? ''] as const);
  return { route, groupKey: JSON.stringify(pairs), groupLabels: Object.fromEntries(pairs) };
}

/**
 * Alertmanager's routing over a flat list: routes are tried by ascending order (then id); the first
 * that matches takes the alert, and one with `continue` lets the following routes match too. An
 * alert no route takes goes to the default route when there are default channels, else nowhere.
 */
export class AlertRouter {
  private readonly routes: { route: Route; matches: (labels: LabelSet) => boolean }[];
  private readonly fallback: Route | null;

  constructor(routes: readonly RouteSettings[], defaults: RouteTimers, defaultChannels: readonly string[]) {
    this.routes = [...routes]
      .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((settings) => ({
        route: resolveRoute(settings, defaults),
        matches: compileMatchers(settings.matchers),
      }));
    this.fallback =
      defaultChannels.length === 0
        ? null
        : {
            id: DEFAULT_ROUTE_ID,
            order: Number.MAX_SAFE_INTEGER,
            matchers: [],
            channels: defaultChannels,
            groupBy: ['modelId'],
            timers: defaults,
            continue: false,
          };
  }

  /** The groups the alert belongs to; none when it matches no route and there is no default. */
  route(alert: AlertEvent): RoutedGroup[] {
    const labels = alertLabels(alert);
    const groups: RoutedGroup[] = [];
    for (const { route, matches } of this.routes) {
      if (!matches(labels)) continue;
      groups.push(groupOf(route, labels));
      if (!route.continue) break;
    }
    if (groups.length === 0 && this.fallback !== null) groups.push(groupOf(this.fallback, labels));
    return groups;
  }
}
