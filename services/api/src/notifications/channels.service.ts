import { Inject, Injectable } from '@nestjs/common';
import { CHANNEL_TYPES, validateChannelSpec, type ChannelSpec } from '@driftline/contracts';
import type {
  ChannelSettings,
  ChannelWrite,
  NotificationChannelRepository,
  NotificationRouteRepository,
} from '@driftline/db';
import { ApiError } from '@driftline/common';
import { decodeCursor, encodeCursor, page } from '../list.query';
import { mapChannel, type ChannelView } from './notification.mapper';
import { CHANNEL_REPOSITORY, ROUTE_REPOSITORY } from './notifications.tokens';
import { checkedBody, invalid } from './spec.body';

export interface ChannelList {
  channels: ChannelView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const channelNotFound = (channelId: string) =>
  new ApiError(404, 'channel_not_found', `channel "${channelId}" does not exist`, { channelId });

/** The spec as stored: exactly the settings of its type, the secret apart (undefined: keep the stored one). */
function toWrite(spec: ChannelSpec): ChannelWrite {
  const reasons = CHANNEL_TYPES.flatMap((type) => {
    const given = spec[type] !== undefined;
    if (type === spec.type && !given) return [`/${type} is required for a ${type} channel`];
    if (type !== spec.type && given) return [`/${type} does not apply to a ${spec.type} channel`];
    return [];
  });
  if (reasons.length > 0) throw invalid('channel', reasons);
  let settings: ChannelSettings;
  let secret: string | null | undefined;
  if (spec.slack !== undefined) {
    settings = { type: 'slack', channel: spec.slack.channel };
    secret = spec.slack.token;
  } else if (spec.email !== undefined) {
    settings = { type: 'email', to: spec.email.to };
    secret = null;
  } else {
    settings = { type: 'webhook', url: spec.webhook!.url };
    secret = spec.webhook!.secret;
  }
  return { id: spec.channelId, settings, secret };
}

/**
 * CRUD of notification channels; the api is their only writer. A Slack token or webhook secret is
 * stored and never returned (the views say `hasToken` / `hasSecret`) nor logged.
 */
@Injectable()
export class ChannelsService {
  constructor(
    @Inject(CHANNEL_REPOSITORY) private readonly channels: NotificationChannelRepository,
    @Inject(ROUTE_REPOSITORY) private readonly routes: NotificationRouteRepository,
  ) {}

  async create(body: unknown): Promise<ChannelView> {
    const channel = toWrite(checkedBody('channel', body, validateChannelSpec));
    const stored = await this.channels.create(channel);
    if (stored === null) {
      throw new ApiError(
        409,
        'channel_exists',
        `channel "${channel.id}" exists; PUT /v1/channels/${channel.id} changes it`,
        {
          channelId: channel.id,
        },
      );
    }
    return mapChannel(stored);
  }

  /** A body that leaves the token or secret out keeps the stored one (if the type stays); null removes it. */
  async replace(channelId: string, body: unknown): Promise<ChannelView> {
    const channel = toWrite(
      checkedBody('channel', body, validateChannelSpec, { idField: 'channelId', id: channelId }),
    );
    const stored = await this.channels.replace(channel);
    if (stored === null) throw channelNotFound(channelId);
    return mapChannel(stored);
  }

  /** 409 while a route sends to it. */
  async delete(channelId: string): Promise<void> {
    const using = (await this.routes.findAll())
      .filter((r) => r.channels.includes(channelId))
      .map((r) => r.id);
    if (using.length > 0) {
      throw new ApiError(409, 'channel_in_use', `routes ${using.join(', ')} send to channel "${channelId}"`, {
        channelId,
        routes: using,
      });
    }
    if (!(await this.channels.delete(channelId))) throw channelNotFound(channelId);
  }

  async get(channelId: string): Promise<ChannelView> {
    const record = await this.channels.find(channelId);
    if (record === null) throw channelNotFound(channelId);
    return mapChannel(record);
  }

  /** By id, `limit` after the page that gave `cursor`. */
  async list(cursor: string | undefined, limit: number): Promise<ChannelList> {
    const afterId = cursor === undefined ? undefined : decodeCursor(cursor, 1)[0];
    const found = await this.channels.page({ afterId, limit: limit + 1 });
    const { items, nextCursor } = page(found, limit, (last) => encodeCursor(last.id));
    return { channels: items.map(mapChannel), nextCursor };
  }
}
