import { Body, Controller, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Database } from '@driftline/db';
import type { Request } from 'express';
import { DATABASE, RequireScope } from '@driftline/common';
import { ModelsService } from '../models/models.service';
import { ReferencePinService } from './reference-pin.service';
import { ReferenceUploadService } from './reference-upload.service';
import type { ReferenceSummary } from './reference.mapper';

@Controller('v1/models/:id/reference')
@RequireScope('admin')
export class ReferencesController {
  private readonly pins: ReferencePinService;

  constructor(
    private readonly uploads: ReferenceUploadService,
    models: ModelsService,
    @Inject(DATABASE) database: Database,
  ) {
    this.pins = new ReferencePinService(models, database.references, database.windowSummaries);
  }

  /** A past window, as the monitor stored its summaries, becomes the model's reference. */
  @Post('pin')
  @HttpCode(201)
  pin(@Param('id') modelId: string, @Body() body: unknown): Promise<ReferenceSummary> {
    return this.pins.pin(modelId, body);
  }

  /** The body is read as a stream (the JSON body parser does not take text/csv or NDJSON). */
  @Post()
  @HttpCode(201)
  async upload(
    @Param('id') modelId: string,
    @Query('name') name: unknown,
    @Req() req: Request,
  ): Promise<ReferenceSummary> {
    try {
      return await this.uploads.upload({
        modelId,
        contentType: req.headers['content-type'],
        body: req,
        name: typeof name === 'string' && name !== '' ? name : undefined,
      });
    } catch (error) {
      // The answer goes out before the client has sent everything: drain the rest so it can read it.
      req.unpipe();
      req.resume();
      throw error;
    }
  }
}
