import type { ChannelType } from '@driftline/contracts';
import type { EntityManager } from 'typeorm';
import { returnedRows } from './returned.rows';

/** The settings of a channel anyone may read: the Slack channel, the addresses, the webhook URL. */
export type ChannelSettings =
  { type: 'slack'; channel: string } | { type: 'email'; to: string[] } | { type: 'webhook'; url: string };

export interface ChannelRecord {
  id: string;
  type: ChannelType;
  settings: ChannelSettings;
  /** A Slack token or a webhook secret; the api never returns it. */
  secret: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ChannelWrite {
  id: string;
  settings: ChannelSettings;
  /** undefined on replace: keep the stored secret if the type stays the same; null: none. */
  secret: string | null | undefined;
}

export interface ChannelPageQuery {
  /** Channels with an id after this one (the previous page's last). */
  afterId?: string;
  limit: number;
}

/** Notification channels; the api writes them, the notifier reads them. */
export interface NotificationChannelRepository {
  /** null when a channel with that id exists. */
  create(channel: ChannelWrite): Promise<ChannelRecord | null>;
  /** null when there is no such channel. */
  replace(channel: ChannelWrite): Promise<ChannelRecord | null>;
  /** Whether there was one to delete. */
  delete(id: string): Promise<boolean>;
  find(id: string): Promise<ChannelRecord | null>;
  /** The stored ones among `ids`. */
  findMany(ids: readonly string[]): Promise<ChannelRecord[]>;
  /** By id. */
  page(query: ChannelPageQuery): Promise<ChannelRecord[]>;
}

interface ChannelRow {
  channel_id: string;
  type: ChannelType;
  settings: Record<string, unknown>;
  secret: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'channel_id, type, settings, secret, created_at, updated_at';

const toRecord = (row: ChannelRow): ChannelRecord => ({
  id: row.channel_id,
  type: row.type,
  settings: { ...row.settings, type: row.type } as ChannelSettings,
  secret: row.secret,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The settings without their type, which has a column of its own. */
function settingsJson(settings: ChannelSettings): string {
  const { type: _type, ...rest } = settings;
  return JSON.stringify(rest);
}

export class TypeOrmNotificationChannelRepository implements NotificationChannelRepository {
  constructor(private readonly manager: EntityManager) {}

  create(channel: ChannelWrite): Promise<ChannelRecord | null> {
    return this.writeOne(
      `INSERT INTO notification_channels (channel_id, type, settings, secret) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (channel_id) DO NOTHING RETURNING ${COLUMNS}`,
      [channel.id, channel.settings.type, settingsJson(channel.settings), channel.secret ?? null],
    );
  }

  replace(channel: ChannelWrite): Promise<ChannelRecord | null> {
    return this.writeOne(
      `UPDATE notification_channels
       SET settings = $3::jsonb, updated_at = now(),
           secret = CASE WHEN $5 AND type = $2 THEN secret ELSE $4 END, type = $2
       WHERE channel_id = $1 RETURNING ${COLUMNS}`,
      [
        channel.id,
        channel.settings.type,
        settingsJson(channel.settings),
        channel.secret ?? null,
        channel.secret === undefined,
      ],
    );
  }

  async delete(id: string): Promise<boolean> {
    const rows = returnedRows<{ channel_id: string }>(
      await this.manager.query(
        `DELETE FROM notification_channels WHERE channel_id = $1 RETURNING channel_id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  async find(id: string): Promise<ChannelRecord | null> {
    const [found] = await this.findMany([id]);
    return found ?? null;
  }

  async findMany(ids: readonly string[]): Promise<ChannelRecord[]> {
    if (ids.length === 0) return [];
    const rows: ChannelRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM notification_channels WHERE channel_id = ANY($1::text[]) ORDER BY channel_id`,
      [[...ids]],
    );
    return rows.map(toRecord);
  }

  async page(query: ChannelPageQuery): Promise<ChannelRecord[]> {
    const rows: ChannelRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM notification_channels WHERE ($1::text IS NULL OR channel_id > $1)
       ORDER BY channel_id LIMIT $2`,
      [query.afterId ?? null, query.limit],
    );
    return rows.map(toRecord);
  }

  private async writeOne(sql: string, parameters: unknown[]): Promise<ChannelRecord | null> {
    let result: unknown[];
    try {
      result = await this.manager.query(sql, parameters);
    } catch (error) {
      // TypeORM's error carries the parameters and Postgres's detail the row: the secret, into any log
      // of it; the message names the constraint and no value
      throw new Error(`writing channel ${String(parameters[0])} failed: ${(error as Error).message}`);
    }
    const rows = returnedRows<ChannelRow>(result);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }
}
