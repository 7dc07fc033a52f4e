import { Body, Controller, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { RequireScope } from '@driftline/common';
import { IngestService, type IngestResult } from './ingest.service';

@Controller('v1')
@RequireScope('ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post('predictions')
  @HttpCode(202)
  predictions(@Body() body: unknown, @Req() req: RawBodyRequest<Request>): Promise<IngestResult> {
    return this.ingest.ingestPredictions(body, req.rawBody);
  }

  @Post('ground-truth')
  @HttpCode(202)
  groundTruth(@Body() body: unknown, @Req() req: RawBodyRequest<Request>): Promise<IngestResult> {
    return this.ingest.ingestGroundTruth(body, req.rawBody);
  }
}
