/**
 * `npm run bench:validate`: CPU time per event of validating prediction and ground-truth events
 * with ajv alone (the validators before the fast path: `compile(schema)`) and with the public
 * validators (the fast path, ajv for the rest), and of decodeEvent as the consumer runs it, split
 * into UTF-8 decoding, JSON.parse and validation. The events are those of `npm run bench`, parsed
 * from JSON as the consumer sees them. Variants run interleaved, round after round, and each
 * figure is the median round, so load on a shared machine spreads over all of them alike.
 * Writes bench/validation.json with the commit it ran at.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  compile,
  decodeEvent,
  groundTruthEventSchema,
  predictionEventSchema,
  validateGroundTruthEvent,
  validatePredictionEvent,
  type GroundTruthEvent,
  type PredictionEvent,
} from '@driftline/contracts';
import { gitRevision, describeRevision, type GitRevision } from '../git.revision';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from '../monitor/cpu-profile.summary';
import { BenchDataset } from '../monitor/prediction.generator';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const USAGE = `npm run bench:validate -- [--events N (default 20000)] [--rounds R (default 15)] [--profile] [--output FILE]`;

interface Options {
  events: number;
  rounds: number;
  profile: boolean;
  output: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    events: 20_000,
    rounds: 15,
    profile: false,
    output: join(REPO_ROOT, 'bench', 'validation.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    const integer = (): number => {
      const n = Number(value().replace(/_/g, ''));
      if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
      return n;
    };
    if (flag === '--events') options.events = integer();
    else if (flag === '--rounds') options.rounds = integer();
    else if (flag === '--profile') options.profile = true;
    else if (flag === '--output') options.output = value();
    else throw new Error(`unknown option "${flag}"\n${USAGE}`);
  }
  return options;
}

/** One measured loop over the events: returns how many it found valid (checked, and keeps the work live). */
interface Variant {
  name: string;
  /** Valid events the loop must report, per pass. */
  expectValid: number;
  run: () => number;
}

interface VariantFigures {
  name: string;
  /** Median and fastest round, ns of process CPU time (user + system) per event. */
  cpuNsPerEvent: { median: number; min: number };
  /** Median round, ns of wall time per event. */
  wallNsPerEvent: number;
}

interface ValidationBenchResults {
  machine: {
    date: string;
    cores: number;
    cpuModel: string;
    node: string;
    gitCommit: string | null;
    gitDirty: boolean | null;
    gitChanges: string[];
    /** os.loadavg() (1, 5, 15 min) at the start and at the end. */
    loadAverage: { start: number[]; end: number[] };
  };
  settings: { events: number; rounds: number; averageBytes: number; features: number };
  variants: VariantFigures[];
  /** CPU medians of each pair; ratio: before / after. */
  speedups: { name: string; before: number; after: number; ratio: number }[];
  /** V8 sampling profile of decodeEvent (after) over the events, with --profile. */
  profile: ProfileSummary | null;
}

/** A loop applying `check` to every item, expected to find `expectValid` of them valid. */
function variant<T>(name: string, items: T[], expectValid: number, check: (item: T) => boolean): Variant {
  return {
    name,
    expectValid,
    run: () => {
      let valid = 0;
      for (const item of items) if (check(item)) valid++;
      return valid;
    },
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function measure(variants: Variant[], events: number, rounds: number): VariantFigures[] {
  const cpu = variants.map((): number[] => []);
  const wall = variants.map((): number[] => []);
  const warmup = 2;
  for (let round = 0; round < warmup + rounds; round++) {
    variants.forEach((variant, i) => {
      const cpuStart = process.cpuUsage();
      const wallStart = process.hrtime.bigint();
      const valid = variant.run();
      const wallNs = Number(process.hrtime.bigint() - wallStart);
      const used = process.cpuUsage(cpuStart);
      if (valid !== variant.expectValid)
        throw new Error(`${variant.name}: ${valid} valid, expected ${variant.expectValid}`);
      if (round < warmup) return;
      cpu[i].push(((used.user + used.system) * 1000) / events);
      wall[i].push(wallNs / events);
    });
  }
  return variants.map((variant, i) => ({
    name: variant.name,
    cpuNsPerEvent: { median: median(cpu[i]), min: Math.min(...cpu[i]) },
    wallNsPerEvent: median(wall[i]),
  }));
}

async function profileDecode(raws: Buffer[]): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    let valid = 0;
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      for (const raw of raws) if (decodeEvent(raw, validatePredictionEvent).ok) valid++;
    }
    const { profile } = await session.post('Profiler.stop');
    if (valid === 0) throw new Error('no valid event decoded');
    return summarizeProfile(profile as CpuProfile, 12);
  } finally {
    session.disconnect();
  }
}

function machine(revision: GitRevision, start: number[]): ValidationBenchResults['machine'] {
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    gitCommit: revision.commit,
    gitDirty: revision.dirty,
    gitChanges: revision.changes,
    loadAverage: { start, end: [] },
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseOptions(argv);
  const start = loadavg();
  const revision = gitRevision(REPO_ROOT);
  const n = options.events;

  const dataset = new BenchDataset(100, 20261123);
  const t0 = Date.parse('2026-11-23T12:00:00.000Z');
  const raws = Array.from({ length: n }, (_, i) => Buffer.from(JSON.stringify(dataset.next(t0 + i * 7))));
  const predictions = raws.map((raw) => JSON.parse(raw.toString('utf8')) as PredictionEvent);
  const labels: GroundTruthEvent[] = predictions.map((p, i) =>
    JSON.parse(
      JSON.stringify({
        eventId: `l-${p.eventId}`,
        modelId: p.modelId,
        predictionId: p.predictionId,
        timestamp: p.timestamp,
        label: i % 3 === 0 ? 'churned' : i % 2,
      }),
    ),
  );
  // one reason each: the time zone is missing, so the fast path says no and ajv gives the reason
  const invalid: unknown[] = predictions.map((p) => ({ ...p, timestamp: p.timestamp.slice(0, 19) }));

  const ajvPrediction = compile<PredictionEvent>(predictionEventSchema);
  const ajvGroundTruth = compile<GroundTruthEvent>(groundTruthEventSchema);
  const variants: Variant[] = [
    variant('prediction, ajv alone (before)', predictions, n, (e) => ajvPrediction(e).ok),
    variant(
      'prediction, validatePredictionEvent (after)',
      predictions,
      n,
      (e) => validatePredictionEvent(e).ok,
    ),
    variant('ground truth, ajv alone (before)', labels, n, (e) => ajvGroundTruth(e).ok),
    variant(
      'ground truth, validateGroundTruthEvent (after)',
      labels,
      n,
      (e) => validateGroundTruthEvent(e).ok,
    ),
    variant('invalid prediction (no time zone), ajv alone (before)', invalid, 0, (e) => ajvPrediction(e).ok),
    variant(
      'invalid prediction (no time zone), validatePredictionEvent (after)',
      invalid,
      0,
      (e) => validatePredictionEvent(e).ok,
    ),
    variant("decode: Buffer toString('utf8')", raws, n, (raw) => raw.toString('utf8').length > 0),
    variant('decode: toString + JSON.parse', raws, n, (raw) => JSON.parse(raw.toString('utf8')) !== null),
    variant('decodeEvent with ajv alone (before)', raws, n, (raw) => decodeEvent(raw, ajvPrediction).ok),
    variant(
      'decodeEvent with validatePredictionEvent (after)',
      raws,
      n,
      (raw) => decodeEvent(raw, validatePredictionEvent).ok,
    ),
  ];

  const figures = measure(variants, n, options.rounds);
  const cpuOf = (name: string): number => {
    const found = figures.find((f) => f.name === name);
    if (!found) throw new Error(`no variant ${name}`);
    return found.cpuNsPerEvent.median;
  };
  const pairs: [string, string, string][] = [
    ['prediction', 'prediction, ajv alone (before)', 'prediction, validatePredictionEvent (after)'],
    ['ground truth', 'ground truth, ajv alone (before)', 'ground truth, validateGroundTruthEvent (after)'],
    [
      'invalid prediction',
      'invalid prediction (no time zone), ajv alone (before)',
      'invalid prediction (no time zone), validatePredictionEvent (after)',
    ],
    [
      'decodeEvent',
      'decodeEvent with ajv alone (before)',
      'decodeEvent with validatePredictionEvent (after)',
    ],
  ];
  const results: ValidationBenchResults = {
    machine: machine(revision, start),
    settings: {
      events: n,
      rounds: options.rounds,
      averageBytes: raws.reduce((sum, r) => sum + r.length, 0) / n,
      features: Object.keys(predictions[0].features).length,
    },
    variants: figures,
    speedups: pairs.map(([name, b, a]) => ({
      name,
      before: cpuOf(b),
      after: cpuOf(a),
      ratio: cpuOf(b) / cpuOf(a),
    })),
    profile: options.profile ? await profileDecode(raws) : null,
  };
  results.machine.loadAverage.end = loadavg();
  writeFileSync(options.output, `${JSON.stringify(results, null, 2)}\n`);

  const m = results.machine;
  console.log(
    `driftline validation bench, ${m.date}: ${n.toLocaleString('en-US')} events of npm run bench ` +
      `(${results.settings.features} features, ${results.settings.averageBytes.toFixed(0)} B of JSON), ` +
      `median of ${options.rounds} interleaved rounds`,
  );
  console.log(
    `${m.cores} cores (${m.cpuModel}), node ${m.node}, commit ${describeRevision(revision)}, ` +
      `load average ${start.map((l) => l.toFixed(1)).join('/')} at start, ${m.loadAverage.end.map((l) => l.toFixed(1)).join('/')} at end\n`,
  );
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`${'ns per event'.padEnd(width)}  CPU median    CPU min   wall median`);
  for (const f of figures) {
    const cell = (v: number): string => v.toFixed(0).padStart(10);
    console.log(
      `${f.name.padEnd(width)}  ${cell(f.cpuNsPerEvent.median)} ${cell(f.cpuNsPerEvent.min)} ${cell(f.wallNsPerEvent)}`,
    );
  }
  console.log('');
  for (const s of results.speedups)
    console.log(
      `${s.name}: ${s.before.toFixed(0)} -> ${s.after.toFixed(0)} ns per event (${s.ratio.toFixed(2)}x)`,
    );
  if (results.profile) {
    const { busyMs } = results.profile;
    console.log(
      `\ndecodeEvent (after) under the V8 sampling profiler, ${busyMs.toFixed(0)} ms busy; self time ` +
        "(JSON.parse is a builtin: it counts in decodeEvent's own):",
    );
    for (const f of results.profile.functions)
      console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`);
  }
  console.log(`\nwritten to ${options.output}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
