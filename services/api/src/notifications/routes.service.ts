import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_GROUP_BY, matcherReasons, validateRouteSpec } from '@driftline/contracts';
import type { NotificationChannelRepository, NotificationRouteRepository, RouteWrite } from '@driftline/db';
import { ApiError } from '@driftline/common';
import { decodeCursor, encodeCursor, page } from '../list.query';
import { mapRoute, type RouteView } from './notification.mapper';
import { CHANNEL_REPOSITORY, ROUTE_REPOSITORY } from './notifications.tokens';
import { checkedBody, durationMs, invalid } from './spec.body';

const DAY_MS = 86_400_000;

export interface RouteList {
  routes: RouteView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const routeNotFound = (routeId: string) =>
  new ApiError(404, 'route_not_found', `route "${routeId}" does not exist`, { routeId });

/** CRUD of notification routes; the api is their only writer, the notifier reads them per batch. */
@Injectable()
export class RoutesService {
  constructor(
    @Inject(ROUTE_REPOSITORY) private readonly routes: NotificationRouteRepository,
    @Inject(CHANNEL_REPOSITORY) private readonly channels: NotificationChannelRepository,
  ) {}

  async create(body: unknown): Promise<RouteView> {
    const route = await this.checked(body);
    const stored = await this.routes.create(route);
    if (stored === null) {
      throw new ApiError(
        409,
        'route_exists',
        `route "${route.id}" exists; PUT /v1/routes/${route.id} changes it`,
        {
          routeId: route.id,
        },
      );
    }
    return mapRoute(stored);
  }

  async replace(routeId: string, body: unknown): Promise<RouteView> {
    const stored = await this.routes.replace(await this.checked(body, routeId));
    if (stored === null) throw routeNotFound(routeId);
    return mapRoute(stored);
  }

  async delete(routeId: string): Promise<void> {
    if (!(await this.routes.delete(routeId))) throw routeNotFound(routeId);
  }

  async get(routeId: string): Promise<RouteView> {
    const record = await this.routes.find(routeId);
    if (record === null) throw routeNotFound(routeId);
    return mapRoute(record);
  }

  /** In the order routes are tried, `limit` after the page that gave `cursor`. */
  async list(cursor: string | undefined, limit: number): Promise<RouteList> {
    let after: { order: number; id: string } | undefined;
    if (cursor !== undefined) {
      const [order, id] = decodeCursor(cursor, 2);
      if (!/^-?\d{1,7}$/.test(order))
        throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
      after = { order: Number(order), id };
    }
    const found = await this.routes.page({ after, limit: limit + 1 });
    const { items, nextCursor } = page(found, limit, (last) => encodeCursor(String(last.order), last.id));
    return { routes: items.map(mapRoute), nextCursor };
  }

  /** The spec as the notifier will read it: regexes that compile, durations, channels that exist. */
  private async checked(body: unknown, routeId?: string): Promise<RouteWrite> {
    const spec = checkedBody(
      'route',
      body,
      validateRouteSpec,
      routeId === undefined ? undefined : { idField: 'routeId', id: routeId },
    );
    const matchers = spec.matchers ?? [];
    const groupWaitMs = durationMs('/groupWait', spec.groupWait, 0, DAY_MS);
    const groupIntervalMs = durationMs('/groupInterval', spec.groupInterval, 10, DAY_MS);
    const repeatIntervalMs = durationMs('/repeatInterval', spec.repeatInterval, 10, 30 * DAY_MS);
    const known = new Set((await this.channels.findMany(spec.channels)).map((c) => c.id));
    const reasons = [
      ...matcherReasons(matchers),
      ...[groupWaitMs, groupIntervalMs, repeatIntervalMs].filter((d): d is string => typeof d === 'string'),
      ...spec.channels.flatMap((c, i) =>
        known.has(c) ? [] : [`/channels/${i}: channel "${c}" does not exist`],
      ),
    ];
    if (reasons.length > 0) throw invalid('route', reasons);
    const ms = (d: number | string | null) => (typeof d === 'number' ? d : null);
    return {
      id: spec.routeId,
      order: spec.order,
      matchers,
      channels: spec.channels,
      groupBy: spec.groupBy ?? [...DEFAULT_GROUP_BY],
      groupWaitMs: ms(groupWaitMs),
      groupIntervalMs: ms(groupIntervalMs),
      repeatIntervalMs: ms(repeatIntervalMs),
      continue: spec.continue ?? false,
    };
  }
}
