import type { Kafka } from 'kafkajs';
import type { ReadinessCheck } from './health.controller';

const TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref()),
  ]);
}

export function databaseCheck(database: { ping(): Promise<void> }): ReadinessCheck {
  return {
    name: 'database',
    check: () =>
      withTimeout(database.ping()).then(
        () => true,
        () => false,
      ),
  };
}

/**
 * Kafka answers a metadata request, and the service's own client (producer connected, consumer in
 * its group) is up when `clientReady` is given: kafkajs reports no disconnect of a dead broker.
 * `clientReady` may ask elsewhere (the monitor's worker threads); `problems` is read after it.
 */
export function kafkaClusterCheck(
  kafka: Kafka,
  clientReady: () => boolean | Promise<boolean> = () => true,
  problems: () => string[] = () => [],
): ReadinessCheck {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  return {
    name: 'kafka',
    problems,
    check: async () => {
      if (!(await withTimeout(Promise.resolve(clientReady())).catch(() => false))) return false;
      try {
        connected ??= admin.connect();
        await withTimeout(connected);
        await withTimeout(admin.describeCluster());
        return true;
      } catch {
        connected = undefined;
        return false;
      }
    },
  };
}
