import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiError, RequireScope } from '@driftline/common';
import { decodeCursor, encodeCursor, listQuery, page } from '../list.query';
import type { ApiKeyView, CreatedApiKey } from './api-key.mapper';
import { KeysService } from './keys.service';

export interface ApiKeyList {
  keys: ApiKeyView[];
  nextCursor: string | null;
}

function afterCursor(cursor: string | undefined): { createdAt: Date; keyId: string } | undefined {
  if (cursor === undefined) return undefined;
  const [createdAt, keyId] = decodeCursor(cursor, 2);
  const after = { createdAt: new Date(createdAt), keyId };
  if (Number.isNaN(after.createdAt.getTime())) {
    throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
  }
  return after;
}

/** API keys: admin only, reading them included. */
@Controller('v1/keys')
@RequireScope('admin')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<CreatedApiKey> {
    return this.keys.create(body);
  }

  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<ApiKeyList> {
    const q = listQuery(query);
    const found = await this.keys.list(afterCursor(q.cursor), q.limit + 1);
    const { items, nextCursor } = page(found, q.limit, (last) => encodeCursor(last.createdAt, last.keyId));
    return { keys: items, nextCursor };
  }

  @Delete(':keyId')
  @HttpCode(204)
  revoke(@Param('keyId') keyId: string): Promise<void> {
    return this.keys.revoke(keyId);
  }
}
