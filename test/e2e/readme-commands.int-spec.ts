import {
  checkMonitorSpec,
  signWebhook,
  SIGNATURE_HEADER,
  topicNames,
  validateAlertEvent,
  validateModelSpec,
  validatePredictionEvent,
  validateRetrainTriggerEvent,
  verifyWebhook,
  type PredictionEvent,
} from '@driftline/contracts';
import {
  consumeMessages,
  startSlackStandIn,
  startSmtpCapture,
  startWebhookReceiver,
  testKafkaBrokers,
  waitFor,
  type SlackStandIn,
  type SmtpCapture,
  type WebhookReceiver,
} from '@driftline/testing';
import { execFileSync, spawnSync } from 'node:child_process';
import express, { type Express } from 'express';
import { Kafka } from 'kafkajs';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import * as driftlineClient from '../../libs/client/src';
import { ORACLE_DIR } from '../../cli/src/cli.fixture';
import { postEvents } from '../../scripts/demo-api.client';
import {
  monthRows,
  readBikeCsv,
  referenceCsv,
  walkthroughEvents,
  WALKTHROUGH_SPEC,
} from '../../scripts/demo-walkthrough.rows';
import { PredictionFactory } from '../factories/event.factory';
import { E2eStack, REPO_ROOT } from './e2e.stack';
import { readmeBlocks, shellCommands, type ReadmeBlock, type ShellCommand } from './readme.commands';
import { differences, parseExample, type MatchOptions } from './readme.example';
import { readmeQueries } from './readme.queries';
import { ShellSession, type CommandRun } from './shell.session';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const BLOCKS = readmeBlocks(README);
const ALERTS = 'Alerts: routes, silences, inhibition, channels';
const PIPELINES = 'Retraining pipelines';
const PUBLIC_URL = 'https://driftline.example.com';
const HOUR = 3_600_000;

/** What the README's Express receiver (the ```js block) was sent and answered. */
interface ReceiverRequest {
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

/** The running system and the stand-ins the README's commands are pointed at. */
interface Context {
  stack: E2eStack;
  slack: SlackStandIn;
  smtp: SmtpCapture;
  /** The README's `incidents` webhook channel (https://hooks.example.com). */
  incidents: WebhookReceiver;
  /** The README's pipeline endpoint (https://airflow.example.com): its Express receiver. */
  receiver: { url: string; requests: ReceiverRequest[]; started: unknown[]; verify: Verify; server: Server };
  session: ShellSession;
  /** The folder the commands run in: the repository's dist/, data/ and node_modules/ linked in. */
  dir: string;
  /** What each README address stands for here, and whether a command used it. */
  substitutions: { readme: string; here: string; used: boolean }[];
}

type Verify = (secret: string, rawBody: string | Buffer, header: string | undefined, now?: number) => boolean;

/** How a shell block is run: in order, each command's answer against the README's. */
interface ShellHandling extends MatchOptions {
  /** Commands (a part of their text) that read what is still being reached: run again until they hold. */
  eventually?: string[];
  before?: () => Promise<void>;
  after?: (runs: CommandRun[]) => void | Promise<void>;
}

type Handling =
  | { covered: string; check: () => void }
  | { shell: ShellHandling }
  | { check: (block: ReadmeBlock) => Promise<void> };

// Filled in by beforeAll; the handlers below read it when their block's turn comes.
const ctx = {} as Context;

async function api(path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await ctx.stack.fetch(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function created(path: string, body: unknown): Promise<unknown> {
  const answer = await api(path, 'POST', body);
  if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** The command as it runs here: the README's addresses replaced by the stand-ins'. */
function substitute(text: string): string {
  return ctx.substitutions.reduce((command, s) => {
    if (!command.includes(s.readme)) return command;
    s.used = true;
    return command.split(s.readme).join(s.here);
  }, text);
}

/** Where a command's run differs from what the README says of it. */
function problemsOf(command: ShellCommand, run: CommandRun, options: MatchOptions): string[] {
  if (run.code !== 0) return [`exited with ${run.code}: ${run.stderr}`];
  if (/\bcurl\b/.test(command.text) && run.curls.length === 0) return ['ran no curl'];
  return run.curls.flatMap((call, i) => {
    const answer = i === run.curls.length - 1 ? command.answer : undefined;
    const statusOk =
      answer?.status === undefined ? call.status >= 200 && call.status < 300 : call.status === answer.status;
    if (!statusOk) {
      const readme = answer?.status === undefined ? 'a 2xx' : answer.status;
      return [`answered ${call.status} (the README says ${readme}): ${call.body}`];
    }
    if (!answer) return [];
    try {
      return differences(answer.example, JSON.parse(call.body), options);
    } catch (error) {
      return [`answered ${call.body}, not JSON: ${(error as Error).message}`];
    }
  });
}

async function runShellBlock(block: ReadmeBlock, handling: ShellHandling): Promise<CommandRun[]> {
  const runs: CommandRun[] = [];
  for (const command of shellCommands(block)) {
    const text = substitute(command.text);
    let run = await ctx.session.run(text);
    let problems = problemsOf(command, run, handling);
    if (handling.eventually?.some((part) => command.text.includes(part))) {
      const deadline = Date.now() + 60_000;
      while (problems.length > 0 && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 1000));
        run = await ctx.session.run(text);
        problems = problemsOf(command, run, handling);
      }
    }
    if (problems.length > 0) {
      throw new Error(`README.md:${command.line}: ${command.text}\n  ${problems.join('\n  ')}`);
    }
    runs.push(run);
  }
  return runs;
}

/** The README's ```js block evaluated as written, `app` and the receiver's own functions given. */
function loadReceiverSnippet(
  code: string,
  app: Express,
  secret: string,
  started: unknown[],
): { verify: Verify } {
  const seen = new Set<string>();
  const startRetraining = (trigger: { triggerId: string }) => {
    seen.add(trigger.triggerId);
    started.push(trigger);
  };
  const alreadyStarted = (key: string | undefined) => key !== undefined && seen.has(key);
  const evaluate = new Function(
    'require',
    'process',
    'app',
    'express',
    'alreadyStarted',
    'startRetraining',
    `${code}\nreturn verifyDriftline;`,
  ) as (...args: unknown[]) => Verify;
  const processStandIn = { env: { DRIFTLINE_SECRET: secret } };
  return { verify: evaluate(require, processStandIn, app, express, alreadyStarted, startRetraining) };
}

/** The pipeline's secret as the README's `POST /v1/pipelines` gives it. */
function pipelineSecret(): string {
  const secret = /"secret": "([^"]+)"/.exec(block(`${PIPELINES} #1 sh`).text)?.[1];
  if (!secret) throw new Error('the README pipeline has no secret');
  return secret;
}

async function startReceiver(): Promise<Context['receiver']> {
  const app = express();
  const requests: ReceiverRequest[] = [];
  const started: unknown[] = [];
  let busy = true;
  app.use((req, res, next) => {
    res.on('finish', () => requests.push({ path: req.path, headers: req.headers, status: res.statusCode }));
    // the README's pipeline log shows a first attempt answered 503 "busy"
    if (!busy) return next();
    busy = false;
    res.status(503).send('busy');
  });
  const { verify } = loadReceiverSnippet(block(`${PIPELINES} #3 js`).text, app, pipelineSecret(), started);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, started, verify, server };
}

/** The workspace a user has at the repo root, with the files the CLI examples name. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-readme-'));
  for (const linked of ['dist', 'data', 'node_modules'])
    symlinkSync(join(REPO_ROOT, linked), join(dir, linked));
  return dir;
}

async function postPredictions(events: PredictionEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500)
    await postEvents(ctx.stack.api, 'predictions', events.slice(i, i + 500), ctx.stack.adminKey);
}

async function sentDeliveries(channelId: string): Promise<unknown[]> {
  const answer = await api(`/v1/deliveries?channelId=${channelId}&status=sent`);
  return (answer.body as { deliveries: unknown[] }).deliveries;
}

/**
 * What the README's notifier examples show happened: both `bikes` monitors fire on the same window
 * ("[FIRING:2] bikes"), and Slack rate-limits the first post.
 */
async function fireBikesAlerts(): Promise<void> {
  // the README's monitor (bikes-temp) is registered by its JSON block; a second one makes the two
  await created('/v1/monitors', {
    monitorId: 'bikes-drift-share',
    modelId: 'bikes',
    metric: 'drift_share',
    op: '>',
    threshold: 0.5,
    for: 2,
    severity: 'critical',
  });
  ctx.slack.rateLimitNext(1, 1);
  const july = monthRows(readBikeCsv(), '2011-07');
  const start = Date.UTC(2026, 5, 1);
  const first = walkthroughEvents('bikes', july, new Date(start));
  const second = walkthroughEvents('bikes', july, new Date(start + HOUR));
  const renamed = (e: PredictionEvent): PredictionEvent => ({
    ...e,
    eventId: `${e.eventId}-2`,
    predictionId: `${e.predictionId}-2`,
  });
  await postPredictions([...first.inWindow, ...second.inWindow.map(renamed)]);
  await postPredictions([renamed(second.closing)]);
  await waitFor(
    async () =>
      ctx.incidents.requests.length > 0 &&
      (await sentDeliveries('ml-slack')).length > 0 &&
      (await sentDeliveries('ml-mail')).length > 0,
    { timeoutMs: 150_000, intervalMs: 500, message: 'the bikes alerts told on Slack, by email and webhook' },
  );
}

/** Every message on `topic` so far. */
async function messagesOn(topic: string) {
  const admin = new Kafka({ brokers: testKafkaBrokers().split(',') }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const count = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    return await consumeMessages(testKafkaBrokers(), topic, count);
  } finally {
    await admin.disconnect();
  }
}

/** A README snippet as a module: its imports first, the rest (top-level awaits) in a function. */
function asModule(code: string): string {
  const lines = code.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return `${imports.join('\n')}\nexport async function snippet(): Promise<void> {\n${body.join('\n')}\n}\n`;
}

/** The type errors of a ```ts snippet compiled as a module of this repository (its paths, strict). */
function typeCheckSnippet(code: string): string[] {
  const dir = join(REPO_ROOT, 'dist', 'readme-snippets');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'snippet.ts');
  writeFileSync(file, asModule(code));
  const { config } = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT);
  const program = ts.createProgram([file], { ...options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** The ```ts client snippet, run as written against the stack; what it logged. */
async function runClientSnippet(code: string): Promise<string[]> {
  const js = ts.transpileModule(substitute(code), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  const requireClient = (name: string) => {
    if (name !== '@driftline/client') throw new Error(`the snippet requires ${name}`);
    return driftlineClient;
  };
  const logged: string[] = [];
  const consoleStandIn = {
    log: (line: string) => logged.push(line),
    warn: (line: string) => logged.push(line),
  };
  // the reader exported the key `npm run up` printed
  const processStandIn = { env: { DRIFTLINE_API_KEY: ctx.stack.adminKey } };
  await new AsyncFunction('require', 'exports', 'process', 'console', js)(
    requireClient,
    {},
    processStandIn,
    consoleStandIn,
  );
  return logged;
}

function block(key: string): ReadmeBlock {
  const found = BLOCKS.find((b) => b.key === key);
  if (!found) throw new Error(`README.md has no block ${key}`);
  return found;
}

/** The psql queries the walkthrough spec takes from the README that stand in this block. */
/** `driftline report --help` of the built CLI. */
async function runCliHelp(): Promise<string> {
  return execFileSync(process.execPath, [join(REPO_ROOT, 'dist/cli/src/main.js'), 'report', '--help'], {
    encoding: 'utf8',
  });
}

/** Fields of the README's example missing from `actual` or of another JSON type there (values aside). */
function fieldDifferences(
  example: unknown,
  actual: unknown,
  optional: readonly string[],
  path = '$',
): string[] {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  // a nullable number (pValue, a statistic) may be either in an example
  const nullableNumber =
    new Set([kind(example), kind(actual)]).size === 2 &&
    [example, actual].every((v) => v === null || typeof v === 'number');
  if (kind(example) !== kind(actual) && !nullableNumber) {
    return [`${path}: ${kind(example)} in the README, ${kind(actual)} here`];
  }
  if (Array.isArray(example) && Array.isArray(actual) && example.length > 0 && actual.length > 0) {
    return fieldDifferences(example[0], actual[0], optional, `${path}[0]`);
  }
  if (kind(example) !== 'object') return [];
  const got = actual as Record<string, unknown>;
  return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) => {
    if (optional.includes(key)) return [];
    if (!(key in got)) return [`${path}.${key}: in the README, not here`];
    return fieldDifferences(value, got[key], optional, `${path}.${key}`);
  });
}

const queriesIn = (key: string) => readmeQueries(README).filter((q) => block(key).text.includes(q.sql));

const WALKTHROUGH_SPEC_FILE = join(REPO_ROOT, 'test/e2e/walkthrough.int-spec.ts');

/** Every fenced block of README.md, by key, and what this spec does with it. */
const HANDLING: Record<string, Handling> = {
  'Kubernetes #1 bash': {
    covered:
      'infra/k8s/manifests.spec.ts parses every manifest the kustomization lists (no kubectl here): the path exists and the image built is the one it deploys',
    check: () => {
      const [build, apply] = shellCommands(block('Kubernetes #1 bash')).map((c) => c.text);
      const tag = /^docker build -t (\S+) \.$/.exec(build)?.[1];
      const path = /^kubectl apply -k (\S+)$/.exec(apply)?.[1] ?? '';
      const kustomization = parseYaml(readFileSync(join(REPO_ROOT, path, 'kustomization.yaml'), 'utf8')) as {
        resources: string[];
        images: { name: string; newName: string; newTag: string }[];
      };
      expect(kustomization.images.map((i) => `${i.newName}:${i.newTag}`)).toEqual([tag]);
      for (const file of kustomization.resources) expect(existsSync(join(REPO_ROOT, path, file))).toBe(true);
      expect(existsSync(join(REPO_ROOT, 'infra/k8s/manifests.spec.ts'))).toBe(true);
    },
  },
  'Quick start #1 bash': {
    covered:
      'test/e2e/walkthrough.int-spec.ts runs `npm run demo` (node dist/scripts/up.js --demo, after the build); `npm ci && npm test` is the run this spec is part of',
    check: () =>
      expect(readFileSync(WALKTHROUGH_SPEC_FILE, 'utf8')).toMatch(/'scripts\/up\.js',\s*\[\s*'--demo'/),
  },
  'Quick start #2 bash': {
    covered: 'test/e2e/walkthrough.int-spec.ts runs the psql queries (readmeQueries) on what the demo stored',
    check: () => expect(queriesIn('Quick start #2 bash')).toHaveLength(1),
  },
  'Quick start #3 bash': {
    covered: 'test/e2e/walkthrough.int-spec.ts runs the psql queries (readmeQueries) on what the demo stored',
    check: () => expect(queriesIn('Quick start #3 bash')).toHaveLength(1),
  },
  'How it fits together #1 text': {
    // the diagram names every topic and service there is, and nothing else
    check: async (readme) => {
      const topics = [...readme.text.matchAll(/driftline\.[a-z-]+\.v1/g)].map((m) => m[0]);
      expect([...new Set(topics)].sort()).toEqual(Object.values(topicNames('')).sort());
      const services = readdirSync(join(REPO_ROOT, 'services')).sort();
      expect(services.filter((name) => new RegExp(`\\b${name}\\b`).test(readme.text))).toEqual(services);
    },
  },
  'Walkthrough: a drifted window in five commands #1 bash': {
    shell: {
      // "404 no_windows for the second or two before it is evaluated"
      eventually: ['windows/latest'],
      after: (runs) => {
        // what the paragraph under the block says of the window
        const window = JSON.parse(runs[5].curls[0].body) as {
          eventCount: number;
          drift: {
            driftShare: number;
            datasetDrift: boolean;
            columns: { column: string; drifted: boolean }[];
          };
        };
        expect(window.eventCount).toBe(744);
        expect(window.drift.driftShare).toBeCloseTo(0.667, 3);
        expect(window.drift.datasetDrift).toBe(true);
        const drifted = window.drift.columns.filter((c) => c.drifted).map((c) => c.column);
        expect(drifted.sort()).toEqual(['hum', 'temp', 'weathersit', 'windspeed']);
      },
    },
  },
  'Sending events #1 bash': { shell: {} },
  'Sending events #2 ts': {
    // type-checked as a module of this repository, then run against the stack
    check: async (readme) => {
      expect(typeCheckSnippet(readme.text)).toEqual([]);
      const logged = await runClientSnippet(readme.text);
      expect(logged).toEqual([
        'sent 2, dropped {"invalid":0,"buffer_full":0,"retries_exhausted":0,"rejected":0,"closed":0,"close_deadline":0}',
      ]);
      const topics = topicNames(ctx.stack.topicPrefix);
      const prediction = (await messagesOn(topics.predictions)).filter((m) => m.value?.includes('"p-2"'));
      const label = (await messagesOn(topics.groundTruth)).filter((m) => m.value?.includes('"p-2"'));
      expect(prediction.map((m) => [m.key, JSON.parse(m.value ?? '')])).toEqual([
        [
          'churn',
          {
            eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
            modelId: 'churn',
            modelVersion: '3',
            predictionId: 'p-2',
            features: { age: 37, plan: 'pro', income: 52000 },
            prediction: '0',
            score: 0.12,
            timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          },
        ],
      ]);
      expect(label.map((m) => [m.key, JSON.parse(m.value ?? '').label])).toEqual([['churn', '0']]);
    },
  },
  'Sending events #3 bash': {
    // run as written at the repo root (the jars, infra/kafka/log4j.properties), to the test broker
    check: async (readme) => {
      execFileSync('bash', ['-euo', 'pipefail', '-c', substitute(readme.text)], {
        cwd: REPO_ROOT,
        stdio: 'pipe',
      });
      const messages = await messagesOn(topicNames(ctx.stack.topicPrefix).predictions);
      const sent = messages.filter((m) => m.value?.includes('"eventId":"e-3"'));
      expect(sent.map((m) => [m.key, validatePredictionEvent(JSON.parse(m.value ?? '')).ok])).toEqual([
        ['churn', true],
      ]);
      // on the partition the api put the model's event of the curl above: the same partitioner
      // the api sends each event as the bytes it came in (the curl's own spacing): read the id parsed
      const viaApi = messages.filter(
        (m) => (JSON.parse(m.value ?? '{}') as { eventId?: string }).eventId === 'e-1',
      );
      expect(viaApi.map((m) => m.partition)).toEqual([sent[0].partition]);
    },
  },
  'CLI #1 bash': {
    shell: {
      before: async () => {
        // the user's files the commands name, and the model they upload a reference for
        copyFileSync(join(ORACLE_DIR, 'drift-small', 'reference.csv'), join(ctx.dir, 'ref.csv'));
        copyFileSync(join(ORACLE_DIR, 'drift-small', 'current.csv'), join(ctx.dir, 'cur.csv'));
        const scored = readFileSync(join(ORACLE_DIR, 'perf-binary', 'current.csv'), 'utf8');
        writeFileSync(join(ctx.dir, 'scored.csv'), scored.replace(/^target,prediction,score/, 'y,yhat,p'));
        writeFileSync(join(ctx.dir, 'jan.csv'), referenceCsv(monthRows(readBikeCsv(), '2011-01')));
        await created('/v1/models', { ...WALKTHROUGH_SPEC, modelId: 'bikes' });
      },
      after: (runs) => {
        const [drift, html, performance, upload] = runs.map((r) => r.stdout);
        expect(JSON.parse(drift).drift.columns.map((c: { column: string }) => c.column)).toEqual([
          'x',
          'color',
        ]);
        expect(html).toBe('');
        expect(readFileSync(join(ctx.dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
        expect(JSON.parse(performance).performance.task).toBe('binary');
        expect(JSON.parse(upload)).toMatchObject({ modelId: 'bikes', rows: 688 });
      },
    },
  },
  'CLI #2 text': {
    // every option of the synopsis is one `driftline report --help` documents
    check: async (readme) => {
      const help = await runCliHelp();
      const options = [...new Set([...readme.text.matchAll(/--[a-z-]+/g)].map((m) => m[0]))];
      expect(options.length).toBeGreaterThan(10);
      expect(options.filter((option) => !help.includes(option))).toEqual([]);
    },
  },
  'CLI #3 bash': {
    shell: {
      before: () => {
        const events = Array.from({ length: 20 }, (_, i) =>
          PredictionFactory.create({
            modelId: 'bikes-replay',
            timestamp: '2026-11-23T10:00:00Z',
            features: { x: i },
          }),
        );
        writeFileSync(join(ctx.dir, 'events.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
        return Promise.resolve();
      },
      after: async ([, replay, models, alerts, windows]) => {
        expect(replay.stdout).toMatch(
          /: 20 sent, 0 failed of 20 events \(20 predictions, 0 ground truth\) in /,
        );
        const rows = (out: string) =>
          out
            .trimEnd()
            .split('\n')
            .map((l) => l.split(/\s{2,}/));
        const listed = rows(models.stdout).map((r) => r[0]);
        expect(listed).toEqual(expect.arrayContaining(['MODEL', 'bikes', 'bike-walkthrough']));
        // the table's rows are the firing alerts the API holds for bikes, if any
        const held = (await api('/v1/alerts?modelId=bikes&status=firing')).body as {
          alerts: { alertId: string }[];
        };
        if (held.alerts.length === 0) expect(alerts.stdout).toBe('no alerts\n');
        else
          expect(
            rows(alerts.stdout)
              .slice(1)
              .map((r) => r[0]),
          ).toEqual(held.alerts.map((a) => a.alertId));
        // the walkthrough's window: 744 events, the four drifted columns
        const [header, window] = rows(windows.stdout);
        expect(header[0]).toBe('START');
        expect(window[2]).toBe('744');
        expect(window[5]).toBe('yes');
        expect(window[6].split(',').sort()).toEqual(['hum', 'temp', 'weathersit', 'windspeed']);
      },
    },
  },
  'API #1 json': {
    check: async (readme) => {
      const spec = JSON.parse(readme.text) as unknown;
      expect(validateModelSpec(spec)).toEqual({ ok: true, value: spec });
      await created('/v1/models', spec);
    },
  },
  'API #2 json': {
    // the example's fields are the fields of a real window of the walkthrough's model; performance
    // and estimated need labels and scores, which that model has not
    check: async (readme) => {
      const example = JSON.parse(readme.text) as Record<string, unknown>;
      const answer = await api('/v1/models/bike-walkthrough/windows/latest');
      expect(answer.status).toBe(200);
      expect(fieldDifferences(example, answer.body, ['performance', 'estimated', 'bound', '...'])).toEqual(
        [],
      );
    },
  },
  'Authentication #1 sh': {
    shell: {
      examples: ['keyId'],
      after: async (runs) => {
        // the secret the 201 showed is in no other answer, and the one key listed is the one created
        const { keyId, secret } = JSON.parse(runs[0].curls[0].body) as { keyId: string; secret: string };
        expect(secret).toMatch(new RegExp(`^dlk_${keyId}_[A-Za-z0-9_-]{43}$`));
        expect(runs.slice(1).flatMap((r) => r.curls.map((c) => c.body.includes(secret)))).not.toContain(true);
        expect(JSON.parse(runs[1].curls[0].body)).toMatchObject({ keys: [{ keyId }] });
      },
    },
  },
  'Monitors and alerts #1 json': {
    check: async (readme) => {
      const spec = JSON.parse(readme.text) as unknown;
      expect(checkMonitorSpec(spec)).toMatchObject({ ok: true });
      const monitor = (await created('/v1/monitors', spec)) as { effectiveThreshold: unknown };
      expect(typeof monitor.effectiveThreshold).toBe('number');
    },
  },
  [`${ALERTS} #1 sh`]: { shell: {} },
  [`${ALERTS} #2 sh`]: {
    shell: {
      after: ([, , , expire, list]) => {
        const silence = JSON.parse(expire.curls[0].body) as { silenceId: string; state: string };
        expect(silence.state).toBe('expired');
        const { silences } = JSON.parse(list.curls[0].body) as { silences: { silenceId: string }[] };
        expect(silences.map((s) => s.silenceId)).toContain(silence.silenceId);
      },
    },
  },
  [`${ALERTS} #3 json`]: {
    check: async (readme) => {
      await fireBikesAlerts();
      const [request] = ctx.incidents.requests;
      expect(request.path).toBe('/driftline');
      const body = JSON.parse(request.text) as { alerts: Record<string, unknown>[] };
      const options = { examples: ['value', 'threshold', 'createdAt'], unordered: ['alerts'] };
      expect(differences(parseExample(readme.text), body, options)).toEqual([]);
      // each alert is the AlertEvent, its url pointing below PUBLIC_URL
      for (const alert of body.alerts) {
        expect(validateAlertEvent(alert)).toMatchObject({ ok: true });
        expect(alert.url).toBe(`${PUBLIC_URL}/alerts/${String(alert.alertId)}`);
      }
    },
  },
  [`${ALERTS} #4 sh`]: { shell: { examples: ['durationMs'] } },
  [`${PIPELINES} #1 sh`]: { shell: {} },
  [`${PIPELINES} #2 http`]: {
    check: async (readme) => {
      const manual = await api('/v1/models/bikes/retrain', 'POST', {
        reason: 'new labels for May',
        modelVersion: '2024-05',
      });
      expect(manual.status).toBe(202);
      await waitFor(() => ctx.receiver.started.length > 0, {
        timeoutMs: 60_000,
        message: 'the retrain trigger delivered to the README receiver',
      });
      const [head, body] = readme.text.split(/\n\n/);
      const headers = head.split('\n').map((line) => line.split(/: (.*)/).slice(0, 2) as [string, string]);
      const shown = JSON.parse(body) as Record<string, unknown>;
      const [trigger] = ctx.receiver.started as Record<string, unknown>[];
      // the README's body is a RetrainTriggerEvent, and the one sent has its fields
      expect(validateRetrainTriggerEvent(shown)).toMatchObject({ ok: true });
      expect(validateRetrainTriggerEvent(trigger)).toMatchObject({ ok: true });
      expect(Object.keys(trigger).sort()).toEqual(Object.keys(shown).sort());
      const delivered = ctx.receiver.requests.find((r) => r.status === 202);
      const sent = delivered?.headers ?? {};
      expect(headers.map(([name]) => name)).toEqual([
        'Content-Type',
        SIGNATURE_HEADER,
        'Idempotency-Key',
        'User-Agent',
      ]);
      const value = (name: string) => headers.find(([n]) => n === name)?.[1];
      expect(sent['content-type']).toBe(value('Content-Type'));
      expect(sent['user-agent']).toBe(value('User-Agent'));
      expect(value('Idempotency-Key')).toBe(shown.triggerId);
      expect(sent['idempotency-key']).toBe(trigger.triggerId);
      expect(value(SIGNATURE_HEADER)).toMatch(/^t=\d+,v1=[0-9a-f]+…\(64 hex digits\)$/);
      expect(sent[SIGNATURE_HEADER.toLowerCase()]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    },
  },
  [`${PIPELINES} #3 js`]: {
    check: async () => {
      const { verify, url, started } = ctx.receiver;
      const secret = pipelineSecret();
      const body = JSON.stringify({ triggerId: 't-1', modelId: 'bikes' });
      const now = Math.floor(Date.now() / 1000);
      expect(verify(secret, Buffer.from(body), signWebhook(secret, body, now), now)).toBe(true);
      expect(verify(secret, body, signWebhook(secret, body, now - 299), now)).toBe(true);
      expect(verify('another-secret-of-16+', body, signWebhook(secret, body, now), now)).toBe(false);
      expect(verify(secret, `${body} `, signWebhook(secret, body, now), now)).toBe(false);
      expect(verify(secret, body, signWebhook(secret, body, now - 301), now)).toBe(false);
      expect(verify(secret, body, undefined, now)).toBe(false);
      // it agrees with libs/contracts
      const header = signWebhook(secret, body, now);
      expect(verifyWebhook(secret, body, header, now)).toEqual({ ok: true });

      // the Express route: the dispatcher's delivery started one retraining (above); a replay is a
      // repeat, and a request signed with another secret is refused
      expect(started).toHaveLength(1);
      const trigger = JSON.stringify(started[0]);
      const { triggerId } = started[0] as { triggerId: string };
      const post = (signature: string) =>
        fetch(`${url}/hooks/retrain-bikes`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signature,
            'idempotency-key': triggerId,
          },
          body: trigger,
        });
      const fresh = Math.floor(Date.now() / 1000);
      expect((await post(signWebhook(secret, trigger, fresh))).status).toBe(200);
      expect((await post(signWebhook('another-secret-of-16+', trigger, fresh))).status).toBe(401);
      expect(started).toHaveLength(1);
    },
  },
  [`${PIPELINES} #4 sh`]: { shell: { examples: ['deliveryId', 'durationMs'] } },
  'Local Kafka #1 bash': {
    // Kafka's own measurement tool: the jars the first line resolves hold it, and it takes the
    // options the second line gives (a full run is the bench's figure a)
    check: async (readme) => {
      expect(readme.text).toContain('org.apache.kafka.tools.ConsumerPerformance');
      const jars = execFileSync('npm', ['run', '--silent', 'kafka:jars'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }).trim();
      const run = spawnSync(
        'java',
        ['-cp', `${jars}/*`, 'org.apache.kafka.tools.ConsumerPerformance', '--help'],
        {
          encoding: 'utf8',
        },
      );
      for (const option of ['--bootstrap-server', '--topic', '--messages']) {
        expect(readme.text).toContain(option);
        expect(`${run.stdout}${run.stderr}`).toContain(option);
      }
    },
  },
};

describe('README.md: every fenced block', () => {
  it('is handled here: run, checked, covered by another spec, or listed with why it is not run', () => {
    const keys = BLOCKS.map((b) => b.key);
    expect({ unlisted: keys.filter((k) => !(k in HANDLING)) }).toEqual({ unlisted: [] });
    expect({ gone: Object.keys(HANDLING).filter((k) => !keys.includes(k)) }).toEqual({ gone: [] });
  });

  it("tells an answer from the README's", () => {
    const example = parseExample('{"silenceId":"0b6d…","matchers":[…],"state":"active",…}');
    expect(differences(example, { silenceId: 'x', matchers: [], state: 'active', more: 1 })).toEqual([]);
    expect(differences(example, { silenceId: 'x', matchers: [], state: 'expired' })).toEqual([
      '$.state: "active" in the README, "expired" here',
    ]);
    expect(differences(parseExample('{"accepted":1}'), { accepted: 1, extra: true })).toEqual([
      '$.extra: not in the README, true here',
    ]);
    const [command] = shellCommands({
      text: 'curl -s localhost:8080/x -d \'{\n}\'\n# 201 {"a":\n#   [1]}',
      line: 1,
    });
    expect(command).toMatchObject({ text: "curl -s localhost:8080/x -d '{\n}'", answer: { status: 201 } });
  });
});

// Needs `npm run build`: the services, the CLI and the walkthrough scripts run from dist/.
describe('README.md: the commands, run in order against the built services', () => {
  beforeAll(async () => {
    [ctx.slack, ctx.smtp, ctx.incidents] = await Promise.all([
      startSlackStandIn(),
      startSmtpCapture(),
      startWebhookReceiver(),
    ]);
    ctx.receiver = await startReceiver();
    ctx.stack = await E2eStack.start({
      services: ['notifier', 'dispatcher'],
      env: {
        SLACK_API_URL: ctx.slack.apiUrl,
        SLACK_TOKEN: ctx.slack.token,
        SMTP_URL: `smtp://${ctx.smtp.host}:${ctx.smtp.port}`,
        PUBLIC_URL,
        NOTIFY_POLL_INTERVAL: '200ms',
        DISPATCH_POLL_INTERVAL: '200ms',
        OUTBOX_RELAY_INTERVAL_MS: '200',
      },
    });
    ctx.dir = workspace();
    const host = ctx.stack.api.replace(/^http:\/\//, '');
    ctx.substitutions = [
      { readme: 'localhost:8080', here: host, used: false },
      { readme: '127.0.0.1:8080', here: host, used: false },
      { readme: 'https://hooks.example.com', here: ctx.incidents.url, used: false },
      { readme: 'https://airflow.example.com', here: ctx.receiver.url, used: false },
      { readme: '127.0.0.1:9092', here: testKafkaBrokers().split(',')[0], used: false },
      { readme: '--topic driftline.', here: `--topic ${ctx.stack.topicPrefix}driftline.`, used: false },
    ];
    // never fetch a package: npx runs the repository's own driftline or fails
    // the reader exported the key `npm run up` printed
    ctx.session = new ShellSession(ctx.dir, {
      ...process.env,
      npm_config_yes: 'false',
      DRIFTLINE_API_KEY: ctx.stack.adminKey,
    });
  }, 180_000);

  afterAll(async () => {
    ctx.session?.close();
    await ctx.stack?.stop();
    await Promise.all([ctx.slack?.close(), ctx.smtp?.close(), ctx.incidents?.close()]);
    if (ctx.receiver) await new Promise((done) => ctx.receiver.server.close(done));
    if (ctx.dir && existsSync(ctx.dir)) rmSync(ctx.dir, { recursive: true, force: true });
  }, 60_000);

  for (const readme of BLOCKS) {
    const handling = HANDLING[readme.key];
    if (handling === undefined) continue;
    if ('covered' in handling) {
      it(`${readme.key} (README.md:${readme.line}): ${handling.covered}`, () => handling.check());
    } else if ('shell' in handling) {
      it(`${readme.key} (README.md:${readme.line}): runs as written`, async () => {
        await handling.shell.before?.();
        const runs = await runShellBlock(readme, handling.shell);
        await handling.shell.after?.(runs);
      }, 300_000);
    } else if ('check' in handling) {
      it(`${readme.key} (README.md:${readme.line}): holds`, () => handling.check(readme), 300_000);
    }
  }

  it('put in a stand-in for every README address it knows', () => {
    expect(ctx.substitutions.filter((s) => !s.used).map((s) => s.readme)).toEqual([]);
  });
});
