import { Injectable } from '@nestjs/common';
import { validateAlertEvent } from '@driftline/contracts';
import { topicRoute } from '@driftline/kafka';
import {
  afterCommitStore,
  ConsumerInfrastructure,
  ServiceConsumer,
  type AfterCommitUnitOfWork,
} from '@driftline/common';
import { AlertIntakeService } from './alert-intake.service';
import { NotifierTasks } from './notifier.tasks';

/** AlertEvents in, alert states and groups recorded in the batch transaction; the work is AlertIntakeService's. */
@Injectable()
export class AlertsConsumer extends ServiceConsumer<AfterCommitUnitOfWork> {
  constructor(infra: ConsumerInfrastructure, intake: AlertIntakeService, tasks: NotifierTasks) {
    const { topics } = infra.config.kafka;
    super(infra, {
      service: 'notifier',
      store: afterCommitStore,
      routes: [
        topicRoute(topics.alerts, validateAlertEvent, async (batch, tx: AfterCommitUnitOfWork) => {
          const result = await intake.record(
            batch.records.map((r) => r.value),
            tx,
          );
          tx.afterCommit(() => {
            intake.report(result);
            tasks.wake();
          });
        }),
      ],
    });
  }
}
