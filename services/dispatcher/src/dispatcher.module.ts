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
  MetricsController,
  metricsProviders,
  type ServiceContext,
} from '@driftline/common';
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
        ConsumerInfrastructure,
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
