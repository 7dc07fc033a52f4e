import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kafkaInfraFile } from '../../infra/kafka/local-kafka';

const execFileAsync = promisify(execFile);

/** The figures of Kafka's ConsumerPerformance line. */
export interface ConsumerPerformanceResult {
  megabytes: number;
  messages: number;
  /** Over the whole run, group join included. */
  messagesPerSecond: number;
  megabytesPerSecond: number;
  /** Over the fetch time only (rebalance excluded). */
  fetchMessagesPerSecond: number;
  fetchMegabytesPerSecond: number;
  rebalanceMs: number;
  fetchMs: number;
}

/**
 * Reads the line after ConsumerPerformance's header ("start.time, end.time, data.consumed.in.MB,
 * MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec,
 * fetch.nMsg.sec"); fields are separated by ", ".
 */
export function parseConsumerPerformance(output: string): ConsumerPerformanceResult {
  const lines = output.split('\n').map((l) => l.trim());
  const at = lines.findIndex((l) => l.startsWith('start.time') && l.includes('nMsg.sec'));
  const header = at >= 0 ? lines[at].split(/,\s*/) : [];
  const values = at >= 0 ? (lines.slice(at + 1).find((l) => l.length > 0) ?? '').split(/,\s*/) : [];
  if (header.length === 0 || values.length !== header.length) {
    throw new Error(`ConsumerPerformance printed no result line:\n${output.slice(-2000)}`);
  }
  const field = (name: string): number => {
    const value = Number(values[header.indexOf(name)]);
    if (!Number.isFinite(value))
      throw new Error(`ConsumerPerformance field ${name} is not a number: ${values.join(', ')}`);
    return value;
  };
  return {
    megabytes: field('data.consumed.in.MB'),
    messages: field('data.consumed.in.nMsg'),
    messagesPerSecond: field('nMsg.sec'),
    megabytesPerSecond: field('MB.sec'),
    fetchMessagesPerSecond: field('fetch.nMsg.sec'),
    fetchMegabytesPerSecond: field('fetch.MB.sec'),
    rebalanceMs: field('rebalance.time.ms'),
    fetchMs: field('fetch.time.ms'),
  };
}

/** Runs org.apache.kafka.tools.ConsumerPerformance from the cached jars over `messages` records of `topic`. */
export async function runConsumerPerformance(
  jarsDir: string,
  brokers: string,
  topic: string,
  messages: number,
): Promise<ConsumerPerformanceResult> {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const args = [
    '-Xmx512m',
    `-Dlog4j.configuration=file:${kafkaInfraFile('log4j.properties')}`,
    '-cp',
    join(jarsDir, '*'),
    'org.apache.kafka.tools.ConsumerPerformance',
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--messages',
    String(messages),
    '--group',
    `bench-perf-${process.pid}-${Date.now()}`,
    '--timeout',
    '60000',
  ];
  const { stdout, stderr } = await execFileAsync(java, args, { maxBuffer: 16 * 1024 * 1024 });
  return parseConsumerPerformance(`${stdout}\n${stderr}`);
}
