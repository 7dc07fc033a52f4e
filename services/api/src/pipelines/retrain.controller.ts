import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { RetrainService } from './retrain.service';

@Controller('v1/models')
@RequireScope('admin')
export class RetrainController {
  constructor(private readonly retrain: RetrainService) {}

  /** Publishes a retrain trigger for the model; 202: the dispatcher delivers it asynchronously. */
  @Post(':id/retrain')
  @HttpCode(202)
  trigger(@Param('id') id: string, @Body() body: unknown): Promise<{ triggerId: string }> {
    return this.retrain.trigger(id, body);
  }
}
