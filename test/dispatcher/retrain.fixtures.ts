import { verifyWebhook } from '@driftline/contracts';
import { testKafkaBrokers, uniqueName, type ReceivedRequest } from '@driftline/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';

/** The receiver's check, as the README tells pipeline owners to do it: HMAC over t and the raw body, 5 minutes. */
export function signedWith(secret: string, received: ReceivedRequest): boolean {
  const header = received.headers['x-driftline-signature'];
  const signature = typeof header === 'string' ? header : undefined;
  return verifyWebhook(secret, received.body, signature, Math.floor(Date.now() / 1000)).ok;
}

/** A plain producer on the test broker, for triggers as the monitor's outbox relay publishes them. */
export async function connectedProducer(): Promise<Producer> {
  const kafka = new Kafka({
    clientId: uniqueName('retrain-test'),
    brokers: [testKafkaBrokers()],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  return producer;
}
