import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { IngestService, type IngestResult } from './ingest.service';

@Controller('v1')
@RequireScope('ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post('predictions')
  @HttpCode(202)
  predictions(@Body() body: unknown): Promise<IngestResult> {
    return this.ingest.ingestPredictions(body);
  }

  @Post('ground-truth')
  @HttpCode(202)
  groundTruth(@Body() body: unknown): Promise<IngestResult> {
    return this.ingest.ingestGroundTruth(body);
  }
}
