import { randomUUID } from 'node:crypto';
import { openDatabase, type AlertRecord, type Database } from '@driftline/db';
import { testDatabaseUrl, uniqueName } from '@driftline/testing';
import { PipelineSpecFactory } from '../../../test/factories/retrain.factory';
import { API_DOCUMENT } from './models/api.openapi';
import { readJson, startApi, type RunningApi } from './models/api-app.fixture';
import { documentedOperations, type OpenApiDocument } from './openapi/openapi.operations';

type Row = Record<string, unknown>;

interface ListCase {
  /** The list, with the filters that keep it to this test's rows where it has one. */
  path: string;
  key: string;
  idOf: (row: Row) => string;
  /** Writes the rows (as their writer would) and answers their ids in the list's order. */
  seed: () => Promise<string[]>;
}

const hour = (n: number) => new Date(Date.UTC(2026, 2, 1, n));
const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('cursor pagination on every list of the api', () => {
  let api: RunningApi;
  let db: Database;
  const run = uniqueName('pages');
  const modelId = `${run}-model`;
  const ids = (prefix: string) => [1, 2, 3, 4, 5].map((n) => `${run}-${prefix}-${n}`);

  const post = async (path: string, body: unknown): Promise<Row> => {
    const response = await api.fetch(`${path}`, json(body));
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return readJson<Row>(response);
  };

  /** Every page of the list, `limit` rows at a time, until nextCursor is null. */
  async function walk(path: string, key: string, limit: number): Promise<Row[]> {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const query: string = `limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const response = await api.fetch(`${path}${separator}${query}`);
      if (response.status !== 200)
        throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      const body = await readJson<Record<string, unknown>>(response);
      const page = body[key] as Row[];
      expect(page.length).toBeLessThanOrEqual(limit);
      rows.push(...page);
      cursor = body.nextCursor as string | null;
    } while (cursor !== null);
    return rows;
  }

  const channelIds = ids('channel');
  const cases: [string, ListCase][] = [
    [
      'models',
      {
        path: '/v1/models',
        key: 'models',
        idOf: (r) => r.modelId as string,
        seed: async () => {
          for (const id of [...ids('m')].reverse()) {
            await post('/v1/models', {
              modelId: id,
              window: { size: '1h', step: '1h', allowedLateness: '0s' },
            });
          }
          return ids('m');
        },
      },
    ],
    [
      'monitors',
      {
        path: `/v1/monitors?modelId=${modelId}`,
        key: 'monitors',
        idOf: (r) => r.monitorId as string,
        seed: async () => {
          for (const monitorId of ids('monitor')) {
            await post('/v1/monitors', {
              monitorId,
              modelId,
              metric: 'drift_share',
              op: '>',
              threshold: 0.5,
            });
          }
          return ids('monitor');
        },
      },
    ],
    [
      'alerts',
      {
        path: `/v1/alerts?modelId=${modelId}`,
        key: 'alerts',
        idOf: (r) => r.alertId as string,
        seed: async () => {
          const alert = (alertId: string, n: number): AlertRecord => ({
            alertId,
            fingerprint: alertId,
            status: 'firing',
            severity: 'warning',
            modelId,
            monitorId: 'm',
            metric: 'drift_share',
            feature: null,
            value: 0.7,
            threshold: 0.5,
            windowStart: hour(n),
            windowEnd: hour(n + 1),
            // two alerts start together: the id breaks the tie
            startsAt: hour(Math.min(n, 3) + 1),
            endsAt: null,
            summary: 's',
            evidence: {},
          });
          await db.alerts.save(ids('alert').map((id, n) => alert(id, n)));
          return [...ids('alert')].reverse();
        },
      },
    ],
    [
      'channels',
      {
        path: '/v1/channels',
        key: 'channels',
        idOf: (r) => r.channelId as string,
        seed: async () => {
          for (const channelId of channelIds) {
            await post('/v1/channels', {
              channelId,
              type: 'webhook',
              webhook: { url: 'http://127.0.0.1:9/h' },
            });
          }
          return channelIds;
        },
      },
    ],
    [
      'routes',
      {
        path: '/v1/routes',
        key: 'routes',
        idOf: (r) => r.routeId as string,
        seed: async () => {
          // by order, then routeId: -5 is tried first
          const orders = [900_001, 900_001, 900_000, -5, 900_002];
          for (const [n, routeId] of ids('route').entries()) {
            await post('/v1/routes', { routeId, order: orders[n], channels: [channelIds[0]] });
          }
          const [r1, r2, r3, r4, r5] = ids('route');
          return [r4, r3, r1, r2, r5];
        },
      },
    ],
    [
      'silences',
      {
        path: '/v1/silences',
        key: 'silences',
        // by id: other specs sharing the database may give two silences one comment
        idOf: (r) => r.silenceId as string,
        seed: async () => {
          const created: string[] = [];
          for (const comment of ids('silence')) {
            const silence = await post('/v1/silences', {
              matchers: [{ name: 'modelId', op: '=', value: modelId }],
              endsAt: new Date(Date.now() + 3_600_000).toISOString(),
              createdBy: 'oncall',
              comment,
            });
            created.push(silence.silenceId as string);
          }
          return created.reverse();
        },
      },
    ],
    [
      'pipelines',
      {
        path: '/v1/pipelines',
        key: 'pipelines',
        idOf: (r) => r.pipelineId as string,
        seed: async () => {
          for (const pipelineId of ids('pipeline'))
            await post('/v1/pipelines', PipelineSpecFactory.create({ pipelineId }));
          return ids('pipeline');
        },
      },
    ],
    [
      'API keys',
      {
        path: '/v1/keys',
        key: 'keys',
        idOf: (r) => r.keyId as string,
        seed: async () => {
          const created: Row[] = [];
          for (const name of ids('key')) created.push(await post('/v1/keys', { name, scopes: ['read'] }));
          // oldest first, then by keyId
          const order = (r: Row) => `${String(r.createdAt)}/${String(r.keyId)}`;
          return created.sort((a, b) => (order(a) < order(b) ? -1 : 1)).map((r) => r.keyId as string);
        },
      },
    ],
    [
      'retrain deliveries',
      {
        path: `/v1/retrain-deliveries?modelId=${modelId}`,
        key: 'deliveries',
        idOf: (r) => r.triggerId as string,
        seed: async () => {
          const triggers = [1, 2, 3, 4, 5].map(() => randomUUID());
          for (const triggerId of triggers) {
            await db.retrainDeliveries.record({
              triggerId,
              pipelineId: `${run}-pipeline-1`,
              modelId,
              body: '{}',
              status: 'skipped',
              reason: 'cooldown',
              recordedAt: new Date(),
              nextAttemptAt: null,
              deadlineAt: null,
            });
          }
          return [...triggers].reverse();
        },
      },
    ],
    [
      "a pipeline's deliveries",
      {
        path: `/v1/pipelines/${run}-pipeline-1/deliveries?modelId=${modelId}`,
        key: 'deliveries',
        idOf: (r) => r.triggerId as string,
        // the rows of the case above
        seed: async () =>
          (await walk(`/v1/retrain-deliveries?modelId=${modelId}`, 'deliveries', 100)).map(
            (r) => r.triggerId as string,
          ),
      },
    ],
    [
      'notification deliveries',
      {
        path: `/v1/deliveries?channelId=${channelIds[1]}`,
        key: 'deliveries',
        idOf: (r) => r.notificationId as string,
        seed: async () => {
          const notifications = [1, 2, 3, 4, 5].map(() => randomUUID());
          for (const id of notifications) {
            await db.notifications.record([
              {
                id,
                channelId: channelIds[1],
                channelType: 'webhook',
                routeId: 'r',
                groupKey: '[]',
                kind: 'firing',
                title: 't',
                alertIds: [],
                payload: { type: 'webhook' },
                status: 'pending',
                reason: null,
                createdAt: new Date(),
                nextAttemptAt: new Date(Date.now() + 86_400_000),
                deadlineAt: new Date(Date.now() + 3_600_000),
              },
            ]);
          }
          return [...notifications].reverse();
        },
      },
    ],
    [
      'windows',
      {
        path: `/v1/models/${modelId}/windows`,
        key: 'windows',
        idOf: (r) => `${String(r.windowStart)}/${String(r.windowEnd)}`,
        seed: async () => {
          // a 2 h window and a 1 h one start together: the end breaks the tie
          const spans: [number, number][] = [
            [0, 1],
            [1, 2],
            [1, 3],
            [2, 3],
            [4, 5],
          ];
          await db.windows.upsert(
            spans.map(([s, e]) => {
              const [windowStart, windowEnd] = [hour(s), hour(e)];
              const key = { windowStart: windowStart.toISOString(), windowEnd: windowEnd.toISOString() };
              return { modelId, windowStart, windowEnd, eventCount: 1, result: key };
            }),
          );
          return spans.map(([s, e]) => `${hour(s).toISOString()}/${hour(e).toISOString()}`);
        },
      },
    ],
    [
      'a metric series',
      {
        path: `/v1/models/${modelId}/metrics?metric=drift_share`,
        key: 'points',
        idOf: (r) => `${String(r.windowStart)}/${String(r.windowEnd)}`,
        // the points of the windows above, one written under the metric's name and one per window
        seed: async () => {
          const spans: [number, number][] = [
            [0, 1],
            [1, 2],
            [1, 3],
            [2, 3],
            [4, 5],
          ];
          await db.metrics.upsert(
            spans.map(([s, e]) => ({
              modelId,
              windowStart: hour(s),
              windowEnd: hour(e),
              feature: '',
              metric: 'drift_share',
              value: s / 10,
            })),
          );
          return spans.map(([s, e]) => `${hour(s).toISOString()}/${hour(e).toISOString()}`);
        },
      },
    ],
  ];

  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'pagination-int' });
    await post('/v1/models', { modelId, window: { size: '1h', step: '1h', allowedLateness: '0s' } });
  });
  afterAll(async () => {
    await db.close();
    await api.close();
  });

  it.each(cases)('walks %s two at a time: every row once, in a stable order', async (_, list) => {
    const expected = await list.seed();
    const walked = (await walk(list.path, list.key, 2)).map(list.idOf);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked.filter((id) => expected.includes(id))).toEqual(expected);
    // one page holding everything says so
    const whole = (await walk(list.path, list.key, 1000)).map(list.idOf);
    expect(whole.filter((id) => expected.includes(id))).toEqual(expected);
  });

  it('covers every list the OpenAPI document has, and each documents limit, cursor and nextCursor', () => {
    const document = API_DOCUMENT as unknown as OpenApiDocument;
    const lists = Object.entries(document.paths).flatMap(([path, item]) => {
      const schema = item.get?.responses['200']?.content?.['application/json']?.schema;
      const properties = (schema?.properties ?? {}) as Record<string, { type?: unknown }>;
      const isList = schema?.type === 'array' || Object.values(properties).some((p) => p.type === 'array');
      return isList ? [{ path, properties }] : [];
    });
    for (const { path, properties } of lists) {
      const query = documentedOperations(document).get(`get ${path}`)?.queryNames;
      expect([path, query?.has('limit'), query?.has('cursor'), 'nextCursor' in properties]).toEqual([
        path,
        true,
        true,
        true,
      ]);
    }
    const tested = cases.map(([, list]) =>
      list.path.split('?')[0].replace(`${run}-pipeline-1`, '{id}').replace(modelId, '{id}'),
    );
    // consumers/offset-resets.int-spec.ts walks the offset resets, which only a consumer can cause
    expect(lists.map((l) => l.path).filter((path) => !tested.includes(path))).toEqual(['/v1/offset-resets']);
  });

  it.each(cases.map(([name, list]) => [name, list.path]))(
    'answers 400 invalid_query to %s for a cursor that is not one and a limit out of range',
    async (_, path) => {
      const separator = path.includes('?') ? '&' : '?';
      for (const query of ['cursor=not-a-cursor', 'limit=0', 'limit=1001']) {
        const response = await api.fetch(`${path}${separator}${query}`);
        expect([
          query,
          response.status,
          ((await response.json()) as { error: { code: string } }).error.code,
        ]).toEqual([query, 400, 'invalid_query']);
      }
    },
  );
});
