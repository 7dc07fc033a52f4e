import { Module, type DynamicModule } from '@nestjs/common';
import type { Database } from '@driftline/db';
import type { Kafka } from 'kafkajs';
import {
  HealthController,
  READINESS_CHECKS,
  ConsumerInfrastructure,
  DATABASE,
  infrastructureProviders,
  KAFKA,
  publisherProviders,
  databaseCheck,
  kafkaClusterCheck,
  type ServiceContext,
  MetricsController,
  metricsProviders,
} from '@driftline/common';
import { AlertsConsumer } from './alerts.consumer';
import { notifierProviders } from './notifier.providers';

@Module({})
export class NotifierModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: NotifierModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...infrastructureProviders('notifier', context),
        ...metricsProviders('notifier'),
        // dead letters of undecodable alert records
        ...publisherProviders(),
        ...notifierProviders(),
        ConsumerInfrastructure,
        AlertsConsumer,
        {
          provide: READINESS_CHECKS,
          inject: [AlertsConsumer, KAFKA, DATABASE],
          useFactory: (consumer: AlertsConsumer, kafka: Kafka, database: Database) => [
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
