import { Module, type DynamicModule } from '@nestjs/common';
import type { Database } from '@driftline/db';
import type { Kafka } from 'kafkajs';
import { HealthController, READINESS_CHECKS } from '@driftline/common';
import { DATABASE, infrastructureProviders, KAFKA, publisherProviders } from '@driftline/common';
import { databaseCheck, kafkaClusterCheck } from '@driftline/common';
import { MetricsController, metricsProviders } from '@driftline/common';
import type { ServiceContext } from '@driftline/common';
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
