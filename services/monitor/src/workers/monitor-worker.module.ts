import { Module, type DynamicModule } from '@nestjs/common';
import {
  infrastructureProviders,
  METRICS,
  publisherProviders,
  ServiceMetrics,
  TOPICS_READY,
  type ServiceContext,
} from '@driftline/common';
import { CLOCK, systemClock } from '../monitor.clock';
import { consumerProviders } from '../monitor.providers';
import type { WorkerIdentity } from './worker.identity';

/**
 * One worker thread's application: its own Postgres pool, Kafka client and producer (dead letters),
 * and the consumer of the partitions the group gives it, with the model runtimes it holds. No HTTP:
 * the main thread serves /metrics and /readyz from what the worker answers (see WorkerPool).
 */
@Module({})
export class MonitorWorkerModule {
  static forWorker(context: ServiceContext, worker: WorkerIdentity): DynamicModule {
    return {
      module: MonitorWorkerModule,
      providers: [
        ...infrastructureProviders('monitor', context),
        // the main thread created the topics before it started the workers
        { provide: TOPICS_READY, useValue: true },
        // the process series (CPU, memory) are the main thread's: they would count once per thread
        { provide: METRICS, useValue: new ServiceMetrics('monitor', { defaultMetrics: false }) },
        ...publisherProviders(),
        { provide: CLOCK, useValue: systemClock },
        ...consumerProviders(worker),
      ],
    };
  }
}
