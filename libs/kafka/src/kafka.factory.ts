import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from './logger';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

function logCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...context } = log;
      const entry = { kafkajs: namespace, ...context };
      // kafkajs logs each error answer of a broker at ERROR, also the ones it retries (a coordinator
      // still loading at start); what finally fails reaches the caller, which logs it.
      const retried = namespace === 'Connection' && message.startsWith('Response ');
      if (level === logLevel.ERROR && !retried) logger.error(entry, message);
      else if (level === logLevel.ERROR) logger.warn(entry, message);
      else if (level === logLevel.WARN) logger.warn(entry, message);
      else if (level === logLevel.INFO) logger.info(entry, message);
      else logger.debug(entry, message);
    };
}

export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: logCreator(options.logger),
    retry: { initialRetryTime: 300, retries: 8 },
  });
}
