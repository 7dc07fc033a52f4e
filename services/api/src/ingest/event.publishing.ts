import type { EventPublisher, OutgoingMessage } from '@driftline/kafka';
import { ApiError } from '@driftline/common';

/**
 * Publishes and waits at most `timeoutMs` for Kafka's acknowledgement, else answers 503
 * `kafka_unavailable`. The send may still complete after the 503: clients retry, and consumers
 * dedup on the event's id.
 */
export async function publishOrUnavailable(
  publisher: EventPublisher,
  topic: string,
  messages: OutgoingMessage[],
  timeoutMs: number,
  what: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([publisher.publish(topic, messages), timeout]);
  } catch (error) {
    throw new ApiError(
      503,
      'kafka_unavailable',
      `${what} could not be published: ${(error as Error).message}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
