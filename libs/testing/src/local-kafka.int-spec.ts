import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startLocalKafka } from '../../../infra/kafka/local-kafka';
import { freePort } from '../../../infra/net/free-port';
import { consumeMessages, createTopics, uniqueName } from './index';
import { warmUpGroupCoordinator } from './kafka.helpers';

/** Topics of the broker and the high watermark of partition 0 of `topic` (-1 when absent). */
async function topicsAndEnd(brokers: string, topic: string): Promise<{ topics: string[]; end: number }> {
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) return { topics, end: -1 };
    const [partition] = await admin.fetchTopicOffsets(topic);
    return { topics, end: Number(partition.high) };
  } finally {
    await admin.disconnect();
  }
}

/** A listening socket on a free 127.0.0.1 port, holding it until closed. */
async function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

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
  it('keeps a given data dir across a restart on new ports: same cluster, topic and records', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'driftline-it-kafka-'));
    try {
      const topic = uniqueName('it-restart');
      const values = ['survives restart', 'and so does this', 'and this'];
      const first = await startLocalKafka({ dataDir });
      try {
        expect({ formatted: first.formatted, dataDir: first.dataDir }).toEqual({ formatted: true, dataDir });
        await createTopics(first.brokers, [topic]);
        const producer = new Kafka({ brokers: [first.brokers], logLevel: logLevel.ERROR }).producer({
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        await producer.connect();
        await producer.send({ topic, messages: values.map((value) => ({ key: 'k', value })) });
        await producer.disconnect();
      } finally {
        await first.stop();
      }
      expect(existsSync(join(dataDir, 'kraft-logs', 'meta.properties'))).toBe(true);

      const second = await startLocalKafka({ dataDir });
      try {
        expect(second.brokers).not.toBe(first.brokers);
        expect({ formatted: second.formatted, clusterId: second.clusterId }).toEqual({
          formatted: false,
          clusterId: first.clusterId,
        });
        const { topics, end } = await topicsAndEnd(second.brokers, topic);
        expect(topics).toContain(topic);
        expect(end).toBe(values.length);
        await warmUpGroupCoordinator(second.brokers);
        const messages = await consumeMessages(second.brokers, topic, values.length);
        expect(messages.map((m) => [m.offset, m.value])).toEqual(values.map((v, i) => [String(i), v]));
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('takes the preferred ports when they are free', async () => {
    const preferred = { port: await freePort(), controllerPort: await freePort() };
    const kafka = await startLocalKafka({ preferredPorts: preferred });
    try {
      expect({ brokers: kafka.brokers, controllerPort: kafka.controllerPort }).toEqual({
        brokers: `127.0.0.1:${preferred.port}`,
        controllerPort: preferred.controllerPort,
      });
      expect(await accepts(kafka.brokers)).toBe(true);
    } finally {
      await kafka.stop();
    }
  });

  it('picks other ports when a preferred one is taken', async () => {
    const taken = await holdPort();
    const preferred = { port: taken.port, controllerPort: await freePort() };
    try {
      const kafka = await startLocalKafka({ preferredPorts: preferred });
      try {
        expect(kafka.port).not.toBe(taken.port);
        expect(kafka.brokers).toBe(`127.0.0.1:${kafka.port}`);
        await createTopics(kafka.brokers, [uniqueName('it-moved')]);
      } finally {
        await kafka.stop();
      }
    } finally {
      await taken.close();
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
    const taken = await holdPort();
    try {
      await expect(startLocalKafka({ controllerPort: taken.port })).rejects.toThrow(/Address already in use/);
    } finally {
      await taken.close();
    }
  });
});
