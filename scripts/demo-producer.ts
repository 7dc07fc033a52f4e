import { bikeSharingCsv } from '../infra/repo-files';
import { Random } from '../libs/stats/src/random';
import { postEvents, registerModel, uploadReference } from './demo-api.client';
import { DEMO_MODEL_SPECS, DemoScenario, referenceUploadedLine, type BikeRow } from './demo.scenario';
import { readBikeCsv } from './demo-walkthrough.rows';
import type { GroundTruthEvent } from '@driftline/contracts';

interface DemoOptions {
  api: string;
  /** The bike-sharing CSV the bike model's events are drawn from. */
  data: string;
  rate: number;
  driftAfterSeconds: number;
  labelDelaySeconds: number;
  durationSeconds: number;
  seed: number;
  referenceRows: number;
}

const USAGE = `demo-producer [--api http://127.0.0.1:8080] [--data path/to/bike-sharing-hour.csv]
  [--rate 20] [--drift-after 180] [--label-delay 30] [--duration 0 (forever)] [--seed 7]
  [--reference-rows 5000]
--data defaults to the repository's data/bike-sharing-hour.csv. The api key is DRIFTLINE_API_KEY's.`;

function parseOptions(argv: string[]): DemoOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (flag: string, fallback: number): number => {
    const raw = value(flag);
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} expects a number\n${USAGE}`);
    return parsed;
  };
  return {
    api: value('--api') ?? 'http://127.0.0.1:8080',
    data: value('--data') ?? bikeSharingCsv(),
    rate: number('--rate', 20),
    driftAfterSeconds: number('--drift-after', 180),
    labelDelaySeconds: number('--label-delay', 30),
    durationSeconds: number('--duration', 0),
    seed: number('--seed', 7),
    referenceRows: number('--reference-rows', 5000),
  };
}

function readBikeRows(path: string): BikeRow[] {
  const rows = readBikeCsv(path).map((r) => ({
    season: Number(r.season),
    hr: Number(r.hr),
    workingday: Number(r.workingday),
    weathersit: Number(r.weathersit),
    temp: Number(r.temp),
    hum: Number(r.hum),
    windspeed: Number(r.windspeed),
    cnt: Number(r.cnt),
  }));
  if (rows.length === 0) throw new Error(`${path} has no rows`);
  return rows;
}

/**
 * Registers both demo models (or updates them, so the demo can run again) and uploads for each a
 * reference drawn from its undrifted distribution. Done before the first event, so the monitor's
 * catalog finds them monitored when their events arrive.
 */
async function setUpModels(options: DemoOptions, rows: BikeRow[]): Promise<void> {
  const scenario = new DemoScenario(new Random(options.seed + 1), rows);
  for (const spec of DEMO_MODEL_SPECS) {
    const registered = await registerModel(options.api, spec);
    const reference = scenario.reference(spec.modelId, Math.max(1, options.referenceRows));
    await uploadReference(options.api, spec.modelId, reference, 'demo');
    console.log(referenceUploadedLine(spec.modelId, registered, reference.length));
  }
}

// the key stays in the shell's DRIFTLINE_API_KEY: never printed by the producer
const AUTH_HEADER = '-H "Authorization: Bearer $DRIFTLINE_API_KEY"';

function printQueries(api: string): void {
  console.log('demo: 2-minute windows every 30 s, each evaluated about 10 s after it ends; read them with');
  for (const { modelId } of DEMO_MODEL_SPECS) {
    console.log(`  curl -s ${AUTH_HEADER} ${api}/v1/models/${modelId}/windows/latest`);
    console.log(`  curl -s ${AUTH_HEADER} '${api}/v1/models/${modelId}/metrics?metric=drift_share'`);
  }
}

/**
 * Streams predictions of two models to the HTTP API every second, and each prediction's ground
 * truth `--label-delay` seconds later; the churn model drifts after `--drift-after` seconds.
 */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const rows = readBikeRows(options.data);
  await setUpModels(options, rows);
  const scenario = new DemoScenario(new Random(options.seed), rows);
  const pending: { due: number; label: GroundTruthEvent }[] = [];
  const started = Date.now();
  let sent = 0;
  let labelled = 0;
  let announcedDrift = false;
  console.log(
    `demo: ${options.rate} predictions/s per model to ${options.api} (${rows.length} bike rows of ${options.data}), ` +
      `labels after ${options.labelDelaySeconds} s, churn-classifier drifts after ${options.driftAfterSeconds} s`,
  );
  printQueries(options.api);
  let stop = false;
  process.on('SIGTERM', () => (stop = true));
  process.on('SIGINT', () => (stop = true));

  while (!stop) {
    const tick = Date.now();
    const elapsed = (tick - started) / 1000;
    // after --duration no more predictions, but the labels still due are sent when due
    const producing = options.durationSeconds === 0 || elapsed < options.durationSeconds;
    if (!producing && pending.length === 0) break;
    const drifting = elapsed >= options.driftAfterSeconds;
    if (producing && drifting && !announcedDrift) {
      console.log('demo: churn-classifier starts drifting now');
      announcedDrift = true;
    }
    const events = [];
    for (let i = 0; producing && i < options.rate; i++) {
      const at = new Date(tick + Math.floor((i * 1000) / Math.max(1, options.rate)));
      events.push(scenario.bikeEvent(at), scenario.churnEvent(at, drifting));
    }
    const due = tick + options.labelDelaySeconds * 1000;
    for (const e of events) pending.push({ due, label: e.label });
    const labels = [];
    while (pending.length > 0 && pending[0].due <= tick) labels.push(pending.shift()!.label);
    try {
      if (events.length > 0) {
        await postEvents(
          options.api,
          'predictions',
          events.map((e) => e.prediction),
        );
        sent += events.length;
      }
      if (labels.length > 0) {
        await postEvents(options.api, 'ground-truth', labels);
        labelled += labels.length;
      }
    } catch (error) {
      console.error(`demo: ${(error as Error).message}`);
    }
    if (Math.floor(elapsed) % 10 === 0) console.log(`demo: ${sent} predictions, ${labelled} labels sent`);
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - tick))));
  }
  console.log(`demo: done, ${sent} predictions, ${labelled} labels sent`);
}

main().catch((error: unknown) => {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(1);
});
