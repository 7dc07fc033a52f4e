import type { DynamicModule, Type } from '@nestjs/common';
import type { ServiceName } from '@driftline/config';
import type { Database } from '@driftline/db';
import type { Kafka } from 'kafkajs';
import { HealthController, READINESS_CHECKS } from './health.controller';
import { DATABASE, infrastructureProviders, KAFKA, TOPICS_READY } from './infrastructure.providers';
import { databaseCheck, kafkaClusterCheck } from './readiness.checks';
import type { ServiceContext } from './service.bootstrap';

/** A service that so far only proves it reaches Kafka and Postgres: /healthz and /readyz. */
export function healthOnlyModule(module: Type, name: ServiceName, context: ServiceContext): DynamicModule {
  return {
    module,
    controllers: [HealthController],
    providers: [
      ...infrastructureProviders(name, context),
      {
        provide: READINESS_CHECKS,
        inject: [KAFKA, DATABASE, TOPICS_READY],
        useFactory: (kafka: Kafka, database: Database) => [kafkaClusterCheck(kafka), databaseCheck(database)],
      },
    ],
  };
}
