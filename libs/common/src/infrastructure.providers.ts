import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DRIFTLINE_CONFIG, type DriftlineConfig, type ServiceName } from '@driftline/config';
import { openDatabase, type Database } from '@driftline/db';
import {
  createIdempotentProducer,
  createKafka,
  ensureTopics,
  KafkaEventPublisher,
  type PublisherOptions,
} from '@driftline/kafka';
import type { Kafka } from 'kafkajs';
import { BeforeDatabaseClose } from './before-database-close';
import type { Logger } from './logger';
import type { ServiceContext } from './service.bootstrap';

export const LOGGER = Symbol('LOGGER');
export const DATABASE = Symbol('DATABASE');
export const KAFKA = Symbol('KAFKA');
export const TOPICS_READY = Symbol('TOPICS_READY');
export const KAFKA_PUBLISHER = Symbol('KAFKA_PUBLISHER');

/** Creates the v1 topics once at start; every service does it, so any start order works. */
async function prepareTopics(kafka: Kafka, config: DriftlineConfig, logger: Logger): Promise<true> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, Object.values(config.kafka.topics), config.kafka, logger);
  } finally {
    await admin.disconnect();
  }
  return true;
}

@Injectable()
class InfrastructureCloser implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly beforeClose: BeforeDatabaseClose,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'shutting down');
    await this.beforeClose.run(this.logger);
    await this.database.close();
  }
}

@Injectable()
class PublisherCloser implements OnApplicationShutdown {
  constructor(@Inject(KAFKA_PUBLISHER) private readonly publisher: KafkaEventPublisher) {}

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }
}

/** Config, logger, Postgres (migrated), the Kafka client and the topics, for any service. */
export function infrastructureProviders(name: ServiceName, context: ServiceContext): Provider[] {
  const { config, logger } = context;
  return [
    { provide: DRIFTLINE_CONFIG, useValue: config },
    { provide: LOGGER, useValue: logger },
    {
      provide: DATABASE,
      useFactory: () =>
        openDatabase({
          url: config.database.url,
          poolSize: config.database.poolSize,
          applicationName: `driftline-${name}`,
          // the monitor's transactions hold their offsets: one Postgres loses is read again from Kafka
          ...(name === 'monitor'
            ? { settings: { synchronous_commit: config.monitor.synchronousCommit } }
            : {}),
        }),
    },
    {
      provide: KAFKA,
      useFactory: () =>
        createKafka({
          brokers: config.kafka.brokers,
          clientId: `${config.kafka.clientId}-${name}`,
          logger: logger.child({ component: 'kafkajs' }),
        }),
    },
    {
      provide: TOPICS_READY,
      inject: [KAFKA],
      useFactory: (kafka: Kafka) => prepareTopics(kafka, config, logger),
    },
    { provide: BeforeDatabaseClose, useFactory: () => new BeforeDatabaseClose() },
    InfrastructureCloser,
  ];
}

/** The idempotent producer, connected once the topics exist. */
export function publisherProviders(options: PublisherOptions = {}): Provider[] {
  return [
    {
      provide: KAFKA_PUBLISHER,
      inject: [KAFKA, TOPICS_READY],
      useFactory: async (kafka: Kafka) => {
        const publisher = new KafkaEventPublisher(createIdempotentProducer(kafka), options);
        await publisher.connect();
        return publisher;
      },
    },
    PublisherCloser,
  ];
}
