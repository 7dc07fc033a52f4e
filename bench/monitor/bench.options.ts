import { join } from 'node:path';

export const PHASES = ['consumer-performance', 'bare', 'monitor', 'latency', 'http'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  events: number;
  models: number;
  referenceRows: number;
  seed: number;
  latencyRate: number;
  /** A first latency pass at this rate (0: none). */
  latencyLowRate: number;
  latencySeconds: number;
  warmupSeconds: number;
  httpSeconds: number;
  httpConnections: number;
  /** Profile the monitor (V8 sampling profiler) while it consumes the N events (c) or during the low-rate latency pass. */
  profile: 'c' | 'd-low' | null;
  skip: Set<Phase>;
  output: string;
}

export const USAGE = `npm run bench -- [options]
  --events N            prediction events for the throughput phases (env BENCH_EVENTS; default 1000000)
  --latency-rate R      events/s of the latency phase (default 20000)
  --latency-low-rate R  events/s of a first latency pass, where the monitor may keep up (default 100; 0: none)
  --latency-seconds S   measured seconds of the latency phase (default 60), after --warmup-seconds (default 20)
  --http-seconds S      duration of the HTTP ingestion phase (default 20); --http-connections C (default 10)
  --profile             CPU-profile the monitor while it consumes the N events; prints its top functions
  --profile-live        the same during the low-rate latency pass (windows closing as events arrive)
  --skip LIST           phases to leave out, comma-separated: ${PHASES.join(', ')}
  --seed N              generator seed (default 20261123)
  --output FILE         results file (default bench/results.json)`;

function integer(name: string, raw: string, min: number): number {
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

/** Reads the command line (after `npm run bench --`) and BENCH_EVENTS; unknown flags are errors. */
export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv, repoRoot: string): BenchOptions {
  const options: BenchOptions = {
    events: env.BENCH_EVENTS ? integer('BENCH_EVENTS', env.BENCH_EVENTS, 1) : 1_000_000,
    models: 100,
    referenceRows: 1_000,
    seed: 20261123,
    latencyRate: 20_000,
    latencyLowRate: 100,
    latencySeconds: 60,
    warmupSeconds: 20,
    httpSeconds: 20,
    httpConnections: 10,
    profile: null,
    skip: new Set(),
    output: join(repoRoot, 'bench', 'results.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--events':
        options.events = integer(flag, value(), 1);
        break;
      case '--latency-rate':
        options.latencyRate = integer(flag, value(), 100);
        break;
      case '--latency-low-rate':
        options.latencyLowRate = integer(flag, value(), 0);
        break;
      case '--latency-seconds':
        options.latencySeconds = integer(flag, value(), 10);
        break;
      case '--warmup-seconds':
        options.warmupSeconds = integer(flag, value(), 0);
        break;
      case '--http-seconds':
        options.httpSeconds = integer(flag, value(), 1);
        break;
      case '--http-connections':
        options.httpConnections = integer(flag, value(), 1);
        break;
      case '--seed':
        options.seed = integer(flag, value(), 0);
        break;
      case '--profile':
        options.profile = 'c';
        break;
      case '--profile-live':
        options.profile = 'd-low';
        break;
      case '--skip':
        for (const phase of value().split(',').filter(Boolean)) {
          if (!(PHASES as readonly string[]).includes(phase))
            throw new Error(`--skip: unknown phase "${phase}"`);
          options.skip.add(phase as Phase);
        }
        break;
      case '--output':
        options.output = value();
        break;
      default:
        throw new Error(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  return options;
}
