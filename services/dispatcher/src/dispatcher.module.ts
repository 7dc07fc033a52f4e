import { Module, type DynamicModule } from '@nestjs/common';
import type { Database } from '@driftline/db';
import type { Kafka } from 'kafkajs';
import { HealthController, READINESS_CHECKS } from '../../common/src/health.controller';
import {
  DATABASE,
  infrastructureProviders,
  KAFKA,
  publisherProviders,
} from '../../common/src/infrastructure.providers';
import { databaseCheck, kafkaClusterCheck } from '../../common/src/readiness.checks';
import { MetricsController, metricsProviders } from '../../common/src/service.metrics';
import type { ServiceContext } from '../../common/src/service.bootstrap';
import { DispatcherConsumer } from './dispatcher.consumer';
import { dispatcherProviders } from './dispatcher.providers';

@Module({})
export class DispatcherModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: DispatcherModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...infrastructureProviders('dispatcher', context),
        ...metricsProviders('dispatcher'),
        ...publisherProviders(),
        ...dispatcherProviders(),
        DispatcherConsumer,
        {
          provide: READINESS_CHECKS,
          inject: [DispatcherConsumer, KAFKA, DATABASE],
          useFactory: (consumer: DispatcherConsumer, kafka: Kafka, database: Database) => [
            kafkaClusterCheck(
              kafka,
              () => consumer.isReady(),
              () => consumer.problems(),
            ),
            databaseCheck(database),
          ],
        },
      ],
    };
  }
}
