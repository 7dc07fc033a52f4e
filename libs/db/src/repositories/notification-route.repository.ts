import type { LabelMatcher } from '@driftline/contracts';
import type { EntityManager } from 'typeorm';
import { returnedRows } from './returned.rows';

export interface RouteWrite {
  id: string;
  order: number;
  matchers: LabelMatcher[];
  channels: string[];
  groupBy: string[];
  /** null: the notifier's default (ALERT_GROUP_WAIT and the like). */
  groupWaitMs: number | null;
  groupIntervalMs: number | null;
  repeatIntervalMs: number | null;
  continue: boolean;
}

export interface RouteRecord extends RouteWrite {
  createdAt: Date;
  updatedAt: Date;
}

export interface RoutePageQuery {
  /** Routes after this one in (order, id) (the previous page's last). */
  after?: { order: number; id: string };
  limit: number;
}

/** Notification routes; the api writes them, the notifier reads them. */
export interface NotificationRouteRepository {
  /** null when a route with that id exists. */
  create(route: RouteWrite): Promise<RouteRecord | null>;
  /** null when there is no such route. */
  replace(route: RouteWrite): Promise<RouteRecord | null>;
  delete(id: string): Promise<boolean>;
  find(id: string): Promise<RouteRecord | null>;
  /** By order, then id. */
  page(query: RoutePageQuery): Promise<RouteRecord[]>;
  /** Every route, in the order they are tried. */
  findAll(): Promise<RouteRecord[]>;
}

interface RouteRow {
  route_id: string;
  position: number;
  matchers: LabelMatcher[];
  channels: string[];
  group_by: string[];
  group_wait_ms: string | null;
  group_interval_ms: string | null;
  repeat_interval_ms: string | null;
  continue: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `route_id, position, matchers, channels, group_by, group_wait_ms, group_interval_ms,
  repeat_interval_ms, continue, created_at, updated_at`;

const ms = (value: string | null) => (value === null ? null : Number(value));

const toRecord = (row: RouteRow): RouteRecord => ({
  id: row.route_id,
  order: row.position,
  matchers: row.matchers,
  channels: row.channels,
  groupBy: row.group_by,
  groupWaitMs: ms(row.group_wait_ms),
  groupIntervalMs: ms(row.group_interval_ms),
  repeatIntervalMs: ms(row.repeat_interval_ms),
  continue: row.continue,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const values = (route: RouteWrite) => [
  route.id,
  route.order,
  JSON.stringify(route.matchers),
  route.channels,
  route.groupBy,
  route.groupWaitMs,
  route.groupIntervalMs,
  route.repeatIntervalMs,
  route.continue,
];

export class TypeOrmNotificationRouteRepository implements NotificationRouteRepository {
  constructor(private readonly manager: EntityManager) {}

  create(route: RouteWrite): Promise<RouteRecord | null> {
    return this.writeOne(
      `INSERT INTO notification_routes (route_id, position, matchers, channels, group_by, group_wait_ms,
         group_interval_ms, repeat_interval_ms, continue)
       VALUES ($1, $2, $3::jsonb, $4::text[], $5::text[], $6, $7, $8, $9)
       ON CONFLICT (route_id) DO NOTHING RETURNING ${COLUMNS}`,
      values(route),
    );
  }

  replace(route: RouteWrite): Promise<RouteRecord | null> {
    return this.writeOne(
      `UPDATE notification_routes
       SET position = $2, matchers = $3::jsonb, channels = $4::text[], group_by = $5::text[],
           group_wait_ms = $6, group_interval_ms = $7, repeat_interval_ms = $8, continue = $9,
           updated_at = now()
       WHERE route_id = $1 RETURNING ${COLUMNS}`,
      values(route),
    );
  }

  async delete(id: string): Promise<boolean> {
    const rows = returnedRows<{ route_id: string }>(
      await this.manager.query(`DELETE FROM notification_routes WHERE route_id = $1 RETURNING route_id`, [
        id,
      ]),
    );
    return rows.length > 0;
  }

  async find(id: string): Promise<RouteRecord | null> {
    const rows: RouteRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM notification_routes WHERE route_id = $1`,
      [id],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async page(query: RoutePageQuery): Promise<RouteRecord[]> {
    const rows: RouteRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM notification_routes
       WHERE ($1::integer IS NULL OR (position, route_id) > ($1, $2::text))
       ORDER BY position, route_id LIMIT $3`,
      [query.after?.order ?? null, query.after?.id ?? null, query.limit],
    );
    return rows.map(toRecord);
  }

  async findAll(): Promise<RouteRecord[]> {
    const rows: RouteRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM notification_routes ORDER BY position, route_id`,
    );
    return rows.map(toRecord);
  }

  private async writeOne(sql: string, parameters: unknown[]): Promise<RouteRecord | null> {
    const rows = returnedRows<RouteRow>(await this.manager.query(sql, parameters));
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }
}
