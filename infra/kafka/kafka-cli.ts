import { KAFKA_VERSION, resolveKafkaJars, startLocalKafka } from './local-kafka';

const USAGE = `usage: node dist/infra/kafka/kafka-cli.js <command>
  jars                       fetch the Kafka ${KAFKA_VERSION} jars into the cache (once) and print their directory
  start [options]            run a single-node KRaft broker in the foreground until SIGINT/SIGTERM
    --port N                 PLAINTEXT port (default 9092; 0 picks a free one)
    --controller-port N      controller port (default 9093; 0 picks a free one)
    --data-dir DIR           keep the log here across restarts (default: a temp dir removed on exit)
    --log-file FILE          broker output (default: kafka.log in the data dir)
    --partitions N           default partition count for new topics (default 1)
    --heap-mb N              JVM heap (default 512)
Prints "KAFKA_BROKERS=<host:port>" on stdout once the broker is ready.`;

type StartFlags = {
  port: number;
  controllerPort: number;
  dataDir?: string;
  logFile?: string;
  partitions: number;
  heapMb: number;
};

function parseStartFlags(args: string[]): StartFlags {
  const flags: StartFlags = { port: 9092, controllerPort: 9093, partitions: 1, heapMb: 512 };
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`${name} needs a value`);
    const int = (): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`${name} must be a non-negative integer, got ${value}`);
      return n;
    };
    switch (name) {
      case '--port':
        flags.port = int();
        break;
      case '--controller-port':
        flags.controllerPort = int();
        break;
      case '--data-dir':
        flags.dataDir = value;
        break;
      case '--log-file':
        flags.logFile = value;
        break;
      case '--partitions':
        flags.partitions = int();
        break;
      case '--heap-mb':
        flags.heapMb = int();
        break;
      default:
        throw new Error(`unknown option ${name}`);
    }
  }
  return flags;
}

async function start(args: string[]): Promise<void> {
  const flags = parseStartFlags(args);
  const kafka = await startLocalKafka({
    port: flags.port || undefined,
    controllerPort: flags.controllerPort || undefined,
    dataDir: flags.dataDir,
    logFile: flags.logFile,
    numPartitions: flags.partitions,
    heapMb: flags.heapMb,
  });
  process.stdout.write(`KAFKA_BROKERS=${kafka.brokers}\n`);
  process.stderr.write(
    `kafka ${KAFKA_VERSION} ready on ${kafka.brokers}; log ${kafka.logFile}; Ctrl-C stops it\n`,
  );
  await new Promise<void>((done) => {
    const shutdown = (): void => {
      process.stderr.write('stopping kafka\n');
      kafka.stop().then(done, (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        done();
      });
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'jars':
      process.stdout.write(`${await resolveKafkaJars()}\n`);
      return;
    case 'start':
      return start(rest);
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = command === undefined || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
