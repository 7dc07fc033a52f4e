import type { Provider, Type } from '@nestjs/common';
import type { Database } from '@driftline/db';
import { CLOCK, systemClock, DATABASE } from '@driftline/common';
import { PipelinesController, RetrainDeliveriesController } from './pipelines.controller';
import { PipelinesService } from './pipelines.service';
import { PIPELINE_REPOSITORY, RETRAIN_DELIVERY_REPOSITORY } from './pipelines.tokens';
import { RetrainController } from './retrain.controller';
import { RetrainService } from './retrain.service';

/** Retraining pipelines, their delivery log and manual triggers; they need DATABASE and EVENT_PUBLISHER. */
export const pipelineControllers: Type[] = [
  PipelinesController,
  RetrainDeliveriesController,
  RetrainController,
];

export const pipelineProviders: Provider[] = [
  { provide: PIPELINE_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.pipelines },
  {
    provide: RETRAIN_DELIVERY_REPOSITORY,
    inject: [DATABASE],
    useFactory: (db: Database) => db.retrainDeliveries,
  },
  { provide: CLOCK, useValue: systemClock },
  PipelinesService,
  RetrainService,
];
