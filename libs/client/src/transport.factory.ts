import type { TransportOptions } from './client.options';
import { HttpTransport } from './http.transport';
import { KafkaTransport } from './kafka.transport';
import type { EventTransport } from './send.outcome';

/** The transport the options name. */
export function createTransport(options: TransportOptions, requestTimeoutMs: number): EventTransport {
  if (options.transport === 'http') {
    return new HttpTransport({ url: options.url, key: options.key, requestTimeoutMs });
  }
  if (options.transport === 'kafka') {
    return new KafkaTransport({
      brokers: options.brokers,
      topicPrefix: options.topicPrefix,
      clientId: options.clientId,
      requestTimeoutMs,
    });
  }
  return options.transport;
}
