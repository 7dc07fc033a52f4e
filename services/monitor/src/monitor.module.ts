import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Database } from '@driftline/db';
import type { Kafka } from 'kafkajs';
import {
  HealthController,
  READINESS_CHECKS,
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
import { CLOCK, systemClock } from './monitor.clock';
import { MonitorConsumer } from './monitor.consumer';
import { consumerProviders, outcomeProviders, processProviders } from './monitor.providers';
import { WorkerPool } from './workers/worker.pool';

/** Whoever consumes in this process: the main thread's own MonitorConsumer, or the worker threads. */
const CONSUMERS = Symbol('CONSUMERS');

interface Consumers {
  isReady(): boolean | Promise<boolean>;
  problems(): string[];
}

/**
 * The monitor process's main thread: HTTP (/healthz, /readyz, /metrics), what runs once per process
 * (processProviders), and the consumers: with MONITOR_WORKERS=1 the consumer runs here, as it always
 * did; with more, each worker thread runs one (WorkerPool, MonitorWorkerModule).
 */
@Module({})
export class MonitorModule {
  static forRoot(context: ServiceContext): DynamicModule {
    const inline = context.config.monitor.workers === 1;
    const consumers: Provider[] = inline
      ? [...consumerProviders({ id: 0, count: 1 }), { provide: CONSUMERS, useExisting: MonitorConsumer }]
      : [WorkerPool, ...outcomeProviders(), { provide: CONSUMERS, useExisting: WorkerPool }];
    return {
      module: MonitorModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...infrastructureProviders('monitor', context),
        ...metricsProviders('monitor'),
        ...publisherProviders(),
        { provide: CLOCK, useValue: systemClock },
        ...processProviders(),
        ...consumers,
        {
          provide: READINESS_CHECKS,
          inject: [CONSUMERS, KAFKA, DATABASE],
          useFactory: (consumer: Consumers, kafka: Kafka, database: Database) => [
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
