import { Injectable } from '@nestjs/common';
import { validateRetrainTriggerEvent } from '@driftline/contracts';
import { topicRoute } from '@driftline/kafka';
import {
  afterCommitStore,
  ConsumerInfrastructure,
  ServiceConsumer,
  type AfterCommitUnitOfWork,
} from '@driftline/common';
import { TriggerIntakeService } from './trigger-intake.service';

/** Retrain triggers in, deliveries recorded in the batch transaction; the work is TriggerIntakeService's. */
@Injectable()
export class DispatcherConsumer extends ServiceConsumer<AfterCommitUnitOfWork> {
  constructor(infra: ConsumerInfrastructure, intake: TriggerIntakeService) {
    const { topics } = infra.config.kafka;
    super(infra, {
      service: 'dispatcher',
      store: afterCommitStore,
      routes: [
        topicRoute(topics.retrainTriggers, validateRetrainTriggerEvent, (batch, tx) =>
          intake.record(batch, tx),
        ),
      ],
    });
  }
}
