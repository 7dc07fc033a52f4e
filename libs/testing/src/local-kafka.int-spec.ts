import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startLocalKafka } from '../../../infra/kafka/local-kafka';
import { consumeMessages, createTopics, uniqueName } from './index';

function accepts(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Each case starts brokers of its own.
jest.setTimeout(120_000);

describe('startLocalKafka', () => {
  it('keeps a given data dir across a restart on new ports', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'driftline-it-kafka-'));
    try {
      const topic = uniqueName('it-restart');
      const first = await startLocalKafka({ dataDir });
      try {
        await createTopics(first.brokers, [topic]);
        const producer = new Kafka({ brokers: [first.brokers], logLevel: logLevel.ERROR }).producer({
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        await producer.connect();
        await producer.send({ topic, messages: [{ key: 'k', value: 'survives restart' }] });
        await producer.disconnect();
      } finally {
        await first.stop();
      }
      expect(existsSync(join(dataDir, 'kraft-logs', 'meta.properties'))).toBe(true);

      const second = await startLocalKafka({ dataDir });
      try {
        expect(second.brokers).not.toBe(first.brokers);
        const [message] = await consumeMessages(second.brokers, topic, 1);
        expect(message.value).toBe('survives restart');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('stops the broker and removes its temp dir', async () => {
    const kafka = await startLocalKafka();
    expect(await accepts(kafka.brokers)).toBe(true);
    await kafka.stop();
    expect(await accepts(kafka.brokers)).toBe(false);
    expect(existsSync(dirname(kafka.logFile))).toBe(false);
    await kafka.stop();
  });

  it('fails with the broker output when its port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startLocalKafka({ controllerPort: port })).rejects.toThrow(/Address already in use/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
