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
import { EventCountService } from './event-count.service';
import { MonitorConsumer } from './monitor.consumer';
import { monitorProviders } from './monitor.providers';

@Module({})
export class MonitorModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: MonitorModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...infrastructureProviders('monitor', context),
        ...metricsProviders('monitor'),
        ...publisherProviders(),
        EventCountService,
        ...monitorProviders(),
        ConsumerInfrastructure,
        MonitorConsumer,
        {
          provide: READINESS_CHECKS,
          inject: [MonitorConsumer, KAFKA, DATABASE],
          useFactory: (consumer: MonitorConsumer, kafka: Kafka, database: Database) => [
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
