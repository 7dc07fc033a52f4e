import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { ConsumerOffsetRepository, StoredOffsetReset } from '@driftline/db';
import { ApiError } from '../../../common/src/api.error';

export const CONSUMER_OFFSET_REPOSITORY = Symbol('CONSUMER_OFFSET_REPOSITORY');

export interface OffsetResetList {
  resets: (Omit<StoredOffsetReset, 'detectedAt'> & { detectedAt: string })[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const KNOWN = new Set(['topic', 'groupId', 'cursor', 'limit']);

function optionalText(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new ApiError(400, 'invalid_query', `give ${name} once, as text`);
  }
  return value;
}

/**
 * Every time a consumer found its stored offsets disagreeing with the broker and moved them, and
 * every run of records the broker deleted before they were consumed; newest first.
 */
@Controller('v1/offset-resets')
export class OffsetResetsController {
  constructor(@Inject(CONSUMER_OFFSET_REPOSITORY) private readonly offsets: ConsumerOffsetRepository) {}

  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<OffsetResetList> {
    const unknown = Object.keys(query).filter((k) => !KNOWN.has(k));
    if (unknown.length > 0) {
      throw new ApiError(400, 'invalid_query', `unknown query parameter ${unknown.join(', ')}`, { unknown });
    }
    const cursor = optionalText('cursor', query.cursor);
    if (cursor !== undefined && !/^[1-9]\d{0,18}$/.test(cursor)) {
      throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
    }
    const limitText = optionalText('limit', query.limit);
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new ApiError(400, 'invalid_query', `limit is an integer from 1 to ${MAX_LIMIT}`);
    }
    const found = await this.offsets.findResets({
      topic: optionalText('topic', query.topic),
      groupId: optionalText('groupId', query.groupId),
      beforeId: cursor,
      limit: limit + 1,
    });
    const page = found.slice(0, limit);
    return {
      resets: page.map((r) => ({ ...r, detectedAt: r.detectedAt.toISOString() })),
      nextCursor: found.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  }
}
