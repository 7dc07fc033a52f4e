import { Module, type DynamicModule } from '@nestjs/common';
import type { Database } from '@driftline/db';
import type { KafkaEventPublisher } from '@driftline/kafka';
import type { Kafka } from 'kafkajs';
import {
  HealthController,
  READINESS_CHECKS,
  DATABASE,
  infrastructureProviders,
  KAFKA,
  KAFKA_PUBLISHER,
  publisherProviders,
  databaseCheck,
  kafkaClusterCheck,
  MetricsController,
  metricsProviders,
  type ServiceContext,
} from '@driftline/common';
import { DashboardModule } from './dashboard/dashboard.module';
import { authControllers, authProviders } from './auth/auth.providers';
import { IngestController } from './ingest/ingest.controller';
import { IngestService } from './ingest/ingest.service';
import { controlPlaneControllers, controlPlaneProviders } from './models/control-plane.providers';
import { notificationControllers, notificationProviders } from './notifications/notifications.providers';
import { pipelineControllers, pipelineProviders } from './pipelines/pipelines.providers';
import { EVENT_PUBLISHER } from './tokens';

@Module({})
export class AppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: AppModule,
      imports: [DashboardModule],
      controllers: [
        HealthController,
        MetricsController,
        IngestController,
        ...controlPlaneControllers,
        ...pipelineControllers,
        ...notificationControllers,
        ...authControllers,
      ],
      providers: [
        ...infrastructureProviders('api', context),
        ...metricsProviders('api'),
        // every ingestion request publishes: concurrent ones share a send
        ...publisherProviders({ coalesce: true }),
        { provide: EVENT_PUBLISHER, useExisting: KAFKA_PUBLISHER },
        {
          provide: READINESS_CHECKS,
          inject: [KAFKA_PUBLISHER, KAFKA, DATABASE],
          useFactory: (publisher: KafkaEventPublisher, kafka: Kafka, database: Database) => [
            kafkaClusterCheck(kafka, () => publisher.isConnected()),
            databaseCheck(database),
          ],
        },
        IngestService,
        ...controlPlaneProviders,
        ...pipelineProviders,
        ...notificationProviders,
        ...authProviders,
      ],
    };
  }
}
