import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { ConsumerOffsetRepository, StoredOffsetReset } from '@driftline/db';
import { ApiError, RequireScope } from '@driftline/common';
import { listQuery, page } from '../list.query';

export const CONSUMER_OFFSET_REPOSITORY = Symbol('CONSUMER_OFFSET_REPOSITORY');

export interface OffsetResetList {
  resets: (Omit<StoredOffsetReset, 'detectedAt'> & { detectedAt: string })[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Every time a consumer found its stored offsets disagreeing with the broker and moved them, and
 * every run of records the broker deleted before they were consumed; newest first.
 */
@Controller('v1/offset-resets')
@RequireScope('admin')
export class OffsetResetsController {
  constructor(@Inject(CONSUMER_OFFSET_REPOSITORY) private readonly offsets: ConsumerOffsetRepository) {}

  @RequireScope('read')
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<OffsetResetList> {
    const q = listQuery(query);
    if (q.cursor !== undefined && !/^[1-9]\d{0,18}$/.test(q.cursor)) {
      throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
    }
    const found = await this.offsets.findResets({
      topic: q.text('topic'),
      groupId: q.text('groupId'),
      beforeId: q.cursor,
      limit: q.limit + 1,
    });
    const { items, nextCursor } = page(found, q.limit, (last) => last.id);
    return { resets: items.map((r) => ({ ...r, detectedAt: r.detectedAt.toISOString() })), nextCursor };
  }
}
