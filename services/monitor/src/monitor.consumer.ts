import { Injectable } from '@nestjs/common';
import { validateGroundTruthEvent, validatePredictionEvent } from '@driftline/contracts';
import type { UnitOfWork } from '@driftline/db';
import { topicRoute } from '@driftline/kafka';
import { ConsumerInfrastructure, ServiceConsumer } from '@driftline/common';
import { MonitorService } from './monitor.service';

/**
 * Predictions and ground truth in, one transaction per partition and commit interval
 * (CONSUMER_COMMIT_INTERVAL_MS) out; the work is MonitorService's.
 */
@Injectable()
export class MonitorConsumer extends ServiceConsumer<UnitOfWork> {
  constructor(infra: ConsumerInfrastructure, monitor: MonitorService) {
    const { topics } = infra.config.kafka;
    super(infra, {
      service: 'monitor',
      store: (database) => database,
      commitInterval: true,
      routes: [
        topicRoute(topics.predictions, validatePredictionEvent, (batch, tx: UnitOfWork) =>
          monitor.recordPredictions(batch, tx),
        ),
        topicRoute(topics.groundTruth, validateGroundTruthEvent, (batch, tx: UnitOfWork) =>
          monitor.recordLabels(batch, tx),
        ),
      ],
    });
  }
}
