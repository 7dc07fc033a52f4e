import {
  alertAckRequestSchema,
  channelSpecSchema,
  groundTruthEventSchema,
  modelSpecSchema,
  monitorSpecSchema,
  pipelineSpecSchema,
  predictionEventSchema,
  retrainRequestSchema,
  retrainTriggerEventSchema,
  routeSpecSchema,
  silenceSpecSchema,
} from '@driftline/contracts';
import { withRequestErrors } from '../openapi/request.errors';
import { KEY_PATHS, KEY_SCHEMAS, withAuth } from '../auth/auth.openapi';

/** A contracts schema as an OpenAPI component: its `$id` names another document, so it goes. */
function component(schema: object): Record<string, unknown> {
  const { $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const idParam = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const modelIdParam = idParam('the modelId');
const timeParam = (name: 'from' | 'to', description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', format: 'date-time' },
});

const html = { 'text/html': { schema: { type: 'string' } } };
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const page = (summary: string, parameters: object[] = []) => ({
  ...(parameters.length > 0 ? { parameters } : {}),
  get: { summary, responses: { '200': { description: 'the dashboard (one page app)', content: html } } },
});

/** The dashboard's pages (each answers its one-page app, which logs in with an API key) and its files. */
const dashboardPaths = {
  '/': page('Dashboard: the models overview'),
  '/login': page('Dashboard: the login form (an API key, kept in the browser session)'),
  '/models/{id}': page('Dashboard: a model: drift heatmap, drift share, performance, alerts', [
    pathParam('id'),
  ]),
  '/models/{id}/window': page("Dashboard: a window's columns against the reference", [
    pathParam('id'),
    { name: 'start', in: 'query', required: true, schema: { type: 'string', format: 'date-time' } },
    { name: 'end', in: 'query', required: true, schema: { type: 'string', format: 'date-time' } },
  ]),
  '/alerts/{id}': page(
    "The link alerts carry (PUBLIC_URL/alerts/:id): the alert's page, its metric against the threshold and its window",
    [idParam('the alertId')],
  ),
  '/assets/{file}': {
    parameters: [pathParam('file')],
    get: {
      summary: "The dashboard's script and style sheet",
      responses: {
        '200': { description: 'app.js or app.css' },
        '404': error('asset_not_found'),
        '503': error('dashboard_not_built: run npm run build'),
      },
    },
  },
};

const nextCursor = {
  type: ['string', 'null'],
  description: 'pass as cursor for the next page; null on the last page',
};

const listParam = (name: 'limit' | 'cursor') =>
  name === 'limit'
    ? { name, in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } }
    : {
        name,
        in: 'query',
        required: false,
        schema: { type: 'string' },
        description: 'nextCursor of the previous page',
      };

/** The five routes of a control-plane resource: list and create, read, replace, delete. */
function crudPaths(o: {
  base: string;
  what: string;
  listKey: string;
  spec: string;
  view: string;
  filters?: object[];
  errors: { create: string; replace: string; replaceConflict?: string; delete?: string };
  deleteAnswer?: object;
  deleteSummary?: string;
}): Record<string, object> {
  const notFound = error(`${o.what}_not_found`);
  return {
    [o.base]: {
      get: {
        summary: `${o.listKey}, a page at a time`,
        parameters: [...(o.filters ?? []), listParam('limit'), listParam('cursor')],
        responses: {
          '200': {
            description: `a page of ${o.listKey}`,
            content: json({
              type: 'object',
              properties: {
                [o.listKey]: { type: 'array', items: ref(o.view) },
                nextCursor,
              },
            }),
          },
          '400': error('invalid_query (filter, cursor or limit)'),
        },
      },
      post: {
        summary: `Create a ${o.what}`,
        requestBody: { required: true, content: json(ref(o.spec)) },
        responses: {
          '201': { description: 'created', content: json(ref(o.view)) },
          '400': error(o.errors.create),
          '409': error(`${o.what}_exists`),
          '415': error('unsupported_media_type: not application/json'),
        },
      },
    },
    [`${o.base}/{id}`]: {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        summary: `One ${o.what}`,
        responses: { '200': { description: o.what, content: json(ref(o.view)) }, '404': notFound },
      },
      put: {
        summary: `Replace a ${o.what} (the body may leave its id out)`,
        requestBody: { required: true, content: json(ref(o.spec)) },
        responses: {
          '200': { description: 'replaced', content: json(ref(o.view)) },
          '400': error(o.errors.replace),
          '404': notFound,
          ...(o.errors.replaceConflict === undefined ? {} : { '409': error(o.errors.replaceConflict) }),
          '415': error('unsupported_media_type: not application/json'),
        },
      },
      delete: {
        summary: o.deleteSummary ?? `Delete a ${o.what}`,
        responses: {
          ...(o.deleteAnswer ?? { '204': { description: 'deleted' } }),
          '404': notFound,
          ...(o.errors.delete === undefined ? {} : { '409': error(o.errors.delete) }),
        },
      },
    },
  };
}

const deliveryFilters = [
  {
    name: 'status',
    in: 'query',
    required: false,
    schema: { enum: ['pending', 'delivered', 'failed', 'skipped'] },
  },
  { name: 'triggerId', in: 'query', required: false, schema: { type: 'string' } },
  { name: 'modelId', in: 'query', required: false, schema: { type: 'string' } },
  listParam('limit'),
  listParam('cursor'),
];

const retrainDeliveryPage = {
  description: 'a page of retrain deliveries',
  content: json({
    type: 'object',
    properties: {
      deliveries: { type: 'array', items: ref('RetrainDelivery') },
      nextCursor,
    },
  }),
};

const timestamps = {
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
};

const columnSummary = {
  type: 'object',
  required: ['type', 'declared', 'missingShare', 'shares'],
  properties: {
    type: { enum: ['numeric', 'categorical'] },
    declared: { type: 'boolean', description: 'false when inferred from the reference' },
    missingShare: { type: 'number' },
    edges: { type: 'array', items: { type: 'number' }, description: 'numeric: interior bin edges' },
    categories: { type: 'array', items: { type: 'string' } },
    shares: { type: 'array', items: { type: 'number' } },
    mean: { type: 'number' },
  },
};

/** POST of one event or an array of them to Kafka: the two ingestion routes differ only in the event. */
function ingestOperation(summary: string, event: 'PredictionEvent' | 'GroundTruthEvent') {
  return {
    summary,
    requestBody: {
      required: true,
      content: json({ oneOf: [ref(event), { type: 'array', items: ref(event) }] }),
    },
    responses: {
      '202': {
        description: 'accepted',
        content: json({ type: 'object', properties: { accepted: { type: 'integer' } } }),
      },
      '400': error('invalid_events (details: each invalid event by index, with its reasons), empty_batch'),
      '413': error('batch_too_large (more than INGEST_MAX_BATCH events), payload_too_large'),
      '415': error('unsupported_media_type: not application/json'),
      '503': error('kafka_unavailable: Kafka did not acknowledge'),
    },
  };
}

/** The OpenAPI 3.1 description of the api service, served at /docs (UI) and /docs/openapi.json. */
export const API_DOCUMENT = withRequestErrors(
  withAuth({
    openapi: '3.1.0',
    info: {
      title: 'Driftline API',
      version: '1',
      description:
        'Ingestion of prediction and ground-truth events, the model control plane (models and reference profiles) ' +
        'and the read side of evaluated windows and metrics. Every error has the shape ' +
        '{ "error": { "code", "message", "details", "requestId" } }. Every route under /v1 needs an API key ' +
        '(Authorization: Bearer <key>); /healthz, /readyz, /metrics and these docs (which hold no data) do not.',
    },
    paths: {
      '/v1/predictions': {
        post: ingestOperation(
          'Publish one prediction event or an array of them (all or nothing)',
          'PredictionEvent',
        ),
      },
      '/v1/ground-truth': {
        post: ingestOperation('Publish one ground-truth event or an array of them', 'GroundTruthEvent'),
      },
      '/v1/models': {
        post: {
          summary: 'Register a model',
          requestBody: { required: true, content: json(ref('ModelSpec')) },
          responses: {
            '201': { description: 'the stored model', content: json(ref('Model')) },
            '400': error('invalid_model_spec: details lists every reason'),
            '409': error('model_exists'),
            '415': error('unsupported_media_type: not application/json'),
          },
        },
        get: {
          summary: 'Registered models, by id, a page at a time',
          parameters: [listParam('limit'), listParam('cursor')],
          responses: {
            '200': {
              description: 'a page of models',
              content: json({
                type: 'object',
                properties: { models: { type: 'array', items: ref('Model') }, nextCursor },
              }),
            },
            '400': error('invalid_query (cursor or limit)'),
          },
        },
      },
      '/v1/models/{id}': {
        parameters: [modelIdParam],
        get: {
          summary: 'One model',
          responses: {
            '200': { description: 'the model', content: json(ref('Model')) },
            '404': error('model_not_found (or only seen in events, never registered)'),
          },
        },
        put: {
          summary: "Replace a model's spec (modelId may be left out of the body)",
          requestBody: { required: true, content: json(ref('ModelSpec')) },
          responses: {
            '200': { description: 'the stored model', content: json(ref('Model')) },
            '400': error('invalid_model_spec, model_id_mismatch'),
            '404': error('model_not_found'),
            '415': error('unsupported_media_type: not application/json'),
          },
        },
      },
      '/v1/models/{id}/reference': {
        parameters: [
          modelIdParam,
          { name: 'name', in: 'query', required: false, schema: { type: 'string' } },
        ],
        post: {
          summary: 'Upload a reference sample; it becomes the reference in force',
          description:
            'Streamed, never held whole. Columns: the features, and optionally prediction, score and target. ' +
            'Builds the profile (types, bin edges, shares, sketches, an exact sample up to 100,000 values), ' +
            'fits the PCA reconstruction model on the numeric features and, for a binary model with score and target, the CBPE calibration.',
          requestBody: {
            required: true,
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/x-ndjson': { schema: { type: 'string', description: 'one JSON object per line' } },
            },
          },
          responses: {
            '201': { description: 'the stored profile, summarised', content: json(ref('ReferenceSummary')) },
            '400': error(
              'invalid_reference_row (details.line), empty_reference, reference_missing_features ' +
                '(a declared feature without a column), invalid_reference',
            ),
            '404': error('model_not_found'),
            '415': error('unsupported_media_type: neither text/csv nor application/x-ndjson'),
          },
        },
      },
      '/v1/models/{id}/reference/pin': {
        parameters: [modelIdParam],
        post: {
          summary: 'Pin a past window as the reference in force',
          description:
            "The window's merged summaries, kept by the monitor for the model's label horizon, become the profile " +
            '(bin edges from the window itself); a window keeps no rows, so no PCA model or calibration is fitted.',
          requestBody: { required: true, content: json(ref('PinRequest')) },
          responses: {
            '201': { description: 'the stored profile, summarised', content: json(ref('ReferenceSummary')) },
            '400': error(
              'invalid_pin (bounds missing, not timestamps, or the end not after the start), invalid_reference',
            ),
            '404': error('model_not_found, window_not_found (not evaluated, or past the label horizon)'),
          },
        },
      },
      '/v1/models/{id}/windows/latest': {
        parameters: [modelIdParam],
        get: {
          summary: 'The newest evaluated window',
          responses: {
            '200': {
              description: 'the window result as the monitor stored it',
              content: json(ref('WindowResult')),
            },
            '404': error('model_not_found, no_windows (none evaluated yet)'),
          },
        },
      },
      '/v1/models/{id}/windows': {
        parameters: [
          modelIdParam,
          timeParam('from', 'windows starting at or after'),
          timeParam('to', 'windows ending at or before'),
          listParam('limit'),
          listParam('cursor'),
        ],
        get: {
          summary: 'Evaluated windows, oldest first (by start, then end), a page at a time',
          responses: {
            '200': {
              description: 'the windows',
              content: json({
                type: 'object',
                properties: {
                  modelId: { type: 'string' },
                  windows: { type: 'array', items: ref('WindowResult') },
                  nextCursor,
                },
              }),
            },
            '400': error('invalid_time, invalid_time_range, invalid_query (cursor or limit)'),
            '404': error('model_not_found'),
          },
        },
      },
      '/v1/models/{id}/windows/distributions': {
        parameters: [
          modelIdParam,
          {
            ...timeParam('from', 'the window start, as the window result has it'),
            name: 'windowStart',
            required: true,
          },
          {
            ...timeParam('to', 'the window end, as the window result has it'),
            name: 'windowEnd',
            required: true,
          },
        ],
        get: {
          summary:
            "A stored window's columns against the reference in force: counts on the reference's bins or categories",
          responses: {
            '200': { description: 'the columns', content: json(ref('WindowDistributions')) },
            '400': error('window_required or invalid_time: windowStart and windowEnd are ISO 8601 instants'),
            '404': error(
              "model_not_found, or window_not_found (windows are kept for the model's label horizon)",
            ),
          },
        },
      },
      '/v1/models/{id}/metrics': {
        parameters: [
          modelIdParam,
          {
            name: 'metric',
            in: 'query',
            required: true,
            schema: { type: 'string' },
            description: 'e.g. drift_share, drift_p_value, accuracy, pca_reconstruction_error',
          },
          {
            name: 'feature',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: "a feature, __prediction__, __score__; left out: the model-level series ('')",
          },
          timeParam('from', 'windows starting at or after'),
          timeParam('to', 'windows ending at or before'),
          listParam('limit'),
          listParam('cursor'),
        ],
        get: {
          summary: 'One metric as a time series over windows, oldest first, a page of points at a time',
          responses: {
            '200': { description: 'the series', content: json(ref('MetricSeries')) },
            '400': error(
              'metric_required, invalid_feature (given twice), invalid_time, invalid_time_range, invalid_query (cursor or limit)',
            ),
            '404': error('model_not_found'),
          },
        },
      },
      '/v1/monitors': {
        get: {
          summary: 'Monitors, by id, a page at a time',
          parameters: [
            { name: 'modelId', in: 'query', required: false, schema: { type: 'string' } },
            listParam('limit'),
            listParam('cursor'),
          ],
          responses: {
            '200': {
              description: 'a page of monitors',
              content: json({
                type: 'object',
                properties: {
                  monitors: { type: 'array', items: ref('Monitor') },
                  nextCursor,
                },
              }),
            },
            '400': error('invalid_query (cursor or limit)'),
          },
        },
        post: {
          summary: 'Create a monitor (a rule on one metric of one model)',
          requestBody: { required: true, content: json(ref('MonitorSpec')) },
          responses: {
            '201': { description: 'created', content: json(ref('Monitor')) },
            '400': error('invalid_monitor (every reason), auto_threshold_unavailable'),
            '404': error('model_not_found'),
            '409': error('monitor_exists'),
            '415': error('unsupported_media_type: not application/json'),
          },
        },
      },
      '/v1/monitors/{id}': {
        parameters: [idParam('the monitorId')],
        get: {
          summary: 'One monitor',
          responses: {
            '200': { description: 'the monitor', content: json(ref('Monitor')) },
            '404': error('monitor_not_found'),
          },
        },
        put: {
          summary: 'Replace a monitor (the body may leave monitorId out)',
          requestBody: { required: true, content: json(ref('MonitorSpec')) },
          responses: {
            '200': { description: 'replaced', content: json(ref('Monitor')) },
            '400': error('invalid_monitor, monitor_id_mismatch, auto_threshold_unavailable'),
            '404': error('monitor_not_found, model_not_found'),
            '415': error('unsupported_media_type: not application/json'),
          },
        },
        delete: {
          summary: 'Delete a monitor',
          responses: { '204': { description: 'deleted' }, '404': error('monitor_not_found') },
        },
      },
      '/v1/alerts': {
        get: {
          summary: 'Alerts with their evidence, newest first',
          parameters: [
            { name: 'status', in: 'query', required: false, schema: { enum: ['firing', 'resolved'] } },
            { name: 'modelId', in: 'query', required: false, schema: { type: 'string' } },
            listParam('limit'),
            listParam('cursor'),
          ],
          responses: {
            '200': {
              description: 'a page of alerts',
              content: json({
                type: 'object',
                properties: {
                  alerts: { type: 'array', items: ref('Alert') },
                  nextCursor,
                },
              }),
            },
            '400': error('invalid_query (status, cursor or limit)'),
          },
        },
      },
      ...dashboardPaths,
      '/v1/alerts/{id}': {
        parameters: [idParam('the alertId')],
        get: {
          summary: 'One alert with its evidence',
          responses: {
            '200': { description: 'the alert', content: json(ref('Alert')) },
            '404': error('alert_not_found'),
          },
        },
      },
      '/v1/alerts/{id}/ack': {
        parameters: [idParam('the alertId')],
        post: {
          summary: 'Acknowledge an alert: someone is on it',
          description:
            'Records when, by whom and why; the first ack is kept, so acknowledging again answers 200 with it. ' +
            'An ack neither resolves the alert (its rule does) nor mutes its notifications (a silence does).',
          requestBody: { required: false, content: json(ref('AlertAckRequest')) },
          responses: {
            '200': { description: 'the alert with its acknowledgement', content: json(ref('Alert')) },
            '400': error('invalid_ack'),
            '404': error('alert_not_found'),
          },
        },
      },
      '/v1/offset-resets': {
        parameters: [
          { name: 'topic', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'groupId', in: 'query', required: false, schema: { type: 'string' } },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'nextCursor of the previous page',
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        ],
        get: {
          summary:
            'Stored offsets moved because they disagreed with the broker, and records lost; newest first',
          responses: {
            '200': {
              description: 'a page of resets',
              content: json({
                type: 'object',
                properties: {
                  resets: { type: 'array', items: ref('OffsetReset') },
                  nextCursor,
                },
              }),
            },
            '400': error('invalid_query (cursor or limit)'),
          },
        },
      },
      ...crudPaths({
        base: '/v1/channels',
        what: 'channel',
        listKey: 'channels',
        spec: 'ChannelSpec',
        view: 'Channel',
        errors: {
          create: 'invalid_channel (every reason)',
          replace: 'invalid_channel, channel_id_mismatch',
          delete: 'channel_in_use: a route sends to it (details.routes)',
        },
      }),
      ...crudPaths({
        base: '/v1/routes',
        what: 'route',
        listKey: 'routes',
        spec: 'RouteSpec',
        view: 'Route',
        errors: {
          create: 'invalid_route (every reason: shape, regexes, durations, unknown channels)',
          replace: 'invalid_route, route_id_mismatch',
        },
      }),
      ...crudPaths({
        base: '/v1/silences',
        what: 'silence',
        listKey: 'silences',
        spec: 'SilenceSpec',
        view: 'Silence',
        filters: [
          { name: 'state', in: 'query', required: false, schema: { enum: ['pending', 'active', 'expired'] } },
        ],
        errors: {
          create: 'invalid_silence (every reason; endsAt after startsAt and in the future)',
          replace: 'invalid_silence',
          replaceConflict: 'silence_expired: an expired silence is history, create another',
        },
        deleteSummary: 'Expire a silence: it ends now and stays listable (idempotent)',
        deleteAnswer: { '200': { description: 'the expired silence', content: json(ref('Silence')) } },
      }),
      ...crudPaths({
        base: '/v1/pipelines',
        what: 'pipeline',
        listKey: 'pipelines',
        spec: 'PipelineSpec',
        view: 'Pipeline',
        errors: {
          create:
            'invalid_pipeline (every reason: shape, unknown fields, regexes, cooldown; the secret is required)',
          replace: 'invalid_pipeline, pipeline_id_mismatch (a body without secret keeps the stored one)',
        },
      }),
      '/v1/pipelines/{id}/deliveries': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          summary:
            "A pipeline's retrain deliveries, newest first: one per trigger it matched, with every attempt",
          parameters: deliveryFilters,
          responses: {
            '200': retrainDeliveryPage,
            '400': error('invalid_query (status, cursor or limit)'),
            '404': error('pipeline_not_found'),
          },
        },
      },
      '/v1/retrain-deliveries': {
        get: {
          summary: "Every pipeline's retrain deliveries (deleted pipelines' too), newest first",
          parameters: [
            { name: 'pipelineId', in: 'query', required: false, schema: { type: 'string' } },
            ...deliveryFilters,
          ],
          responses: { '200': retrainDeliveryPage, '400': error('invalid_query (status, cursor or limit)') },
        },
      },
      '/v1/models/{id}/retrain': {
        parameters: [modelIdParam],
        post: {
          summary: 'Ask for retraining: a RetrainTriggerEvent on the retrain-triggers topic',
          description:
            'The dispatcher delivers it like a trigger from a monitor: to every matching pipeline, unless that ' +
            "pipeline's cooldown for the model holds (then it is logged as skipped). modelVersion is the body's, " +
            'or "unknown" (the model record holds no version); the window is the newest evaluated one, or the ' +
            'moment of the request.',
          requestBody: { required: true, content: json(ref('RetrainRequest')) },
          responses: {
            '202': {
              description: 'published; the delivery log shows what became of it',
              content: json({
                type: 'object',
                properties: { triggerId: { type: 'string', format: 'uuid' } },
              }),
            },
            '400': error('invalid_retrain_request'),
            '404': error('model_not_found'),
            '415': error('unsupported_media_type: not application/json'),
            '503': error('kafka_unavailable'),
          },
        },
      },
      '/v1/deliveries': {
        get: {
          summary:
            "The notifier's delivery log: one entry per notification and channel, with every attempt; newest first",
          parameters: [
            { name: 'status', in: 'query', required: false, schema: { enum: ['pending', 'sent', 'failed'] } },
            { name: 'channelId', in: 'query', required: false, schema: { type: 'string' } },
            listParam('limit'),
            listParam('cursor'),
          ],
          responses: {
            '200': {
              description: 'a page of deliveries',
              content: json({
                type: 'object',
                properties: {
                  deliveries: { type: 'array', items: ref('Delivery') },
                  nextCursor,
                },
              }),
            },
            '400': error('invalid_query (status, cursor or limit)'),
          },
        },
      },
      '/docs': {
        get: {
          summary: 'This document, as a page (Swagger UI)',
          responses: { '200': { description: 'HTML' } },
        },
      },
      '/docs/openapi.json': {
        get: { summary: 'This document, as JSON', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
      '/docs/openapi.yaml': {
        get: { summary: 'This document, as YAML', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
      ...KEY_PATHS,
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (driftline_*)',
          responses: { '200': { description: 'text exposition' } },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'alive' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness (Kafka and Postgres)',
          responses: { '200': { description: 'ready' }, '503': error('not_ready (details.checks)') },
        },
      },
    },
    components: {
      schemas: {
        ...KEY_SCHEMAS,
        PredictionEvent: component(predictionEventSchema),
        GroundTruthEvent: component(groundTruthEventSchema),
        ModelSpec: component(modelSpecSchema),
        Model: {
          allOf: [
            ref('ModelSpec'),
            {
              type: 'object',
              properties: {
                createdAt: { type: 'string', format: 'date-time' },
                updatedAt: { type: 'string', format: 'date-time' },
              },
            },
          ],
        },
        ReferenceSummary: {
          type: 'object',
          properties: {
            referenceId: { type: 'string', format: 'uuid' },
            modelId: { type: 'string' },
            name: { type: 'string' },
            rows: { type: 'integer' },
            features: { type: 'object', additionalProperties: columnSummary },
            outputs: {
              type: 'object',
              properties: { prediction: columnSummary, score: columnSummary, target: columnSummary },
            },
            multivariate: {
              type: ['object', 'null'],
              description: 'the PCA reconstruction model: features, kept components, alert band',
            },
            calibration: {
              type: ['object', 'null'],
              description: 'the CBPE calibration: decision threshold',
            },
            skipped: { type: 'object', description: 'why the PCA model or the calibration was not fitted' },
          },
        },
        PinRequest: {
          type: 'object',
          additionalProperties: false,
          required: ['windowStart', 'windowEnd'],
          properties: {
            windowStart: { type: 'string', format: 'date-time' },
            windowEnd: { type: 'string', format: 'date-time' },
            name: { type: 'string', description: 'default window-<start>/<end>' },
          },
        },
        WindowResult: {
          type: 'object',
          description:
            'windowStart, windowEnd, eventCount, lateEvents, duplicateEvents, drift { columns, driftShare, datasetDrift, predictionDrift?, multivariate? }, performance?, estimated?',
          additionalProperties: true,
        },
        WindowDistributions: {
          type: 'object',
          properties: {
            modelId: { type: 'string' },
            windowStart: { type: 'string', format: 'date-time' },
            windowEnd: { type: 'string', format: 'date-time' },
            referenceName: { type: ['string', 'null'] },
            columns: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  column: { type: 'string' },
                  role: { type: 'string', enum: ['feature', 'prediction', 'score', 'target'] },
                  type: { type: 'string', enum: ['numeric', 'categorical'] },
                  edges: {
                    type: 'array',
                    items: { type: 'number' },
                    description: 'numeric: interior bin edges',
                  },
                  range: {
                    type: ['array', 'null'],
                    items: { type: 'number' },
                    description: 'numeric: smallest and largest value of both samples',
                  },
                  categories: { type: 'array', items: { type: 'string' }, description: 'categorical' },
                  reference: {
                    type: ['array', 'null'],
                    items: { type: 'integer' },
                    description: 'counts per bin or category; null when the reference was replaced since',
                  },
                  current: { type: 'array', items: { type: 'integer' } },
                  missing: {
                    type: 'object',
                    properties: { reference: { type: 'integer' }, current: { type: 'integer' } },
                  },
                },
              },
            },
          },
        },
        MetricSeries: {
          type: 'object',
          properties: {
            modelId: { type: 'string' },
            metric: { type: 'string' },
            feature: { type: 'string' },
            nextCursor,
            points: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  windowStart: { type: 'string', format: 'date-time' },
                  windowEnd: { type: 'string', format: 'date-time' },
                  value: { type: 'number' },
                },
              },
            },
          },
        },
        MonitorSpec: component(monitorSpecSchema),
        Monitor: {
          allOf: [
            ref('MonitorSpec'),
            {
              type: 'object',
              properties: {
                effectiveThreshold: {
                  type: 'number',
                  description: 'the threshold in force: the number given, or what "auto" chose',
                },
                createdAt: { type: 'string', format: 'date-time' },
                updatedAt: { type: 'string', format: 'date-time' },
              },
            },
          ],
        },
        Alert: {
          type: 'object',
          properties: {
            alertId: { type: 'string' },
            fingerprint: { type: 'string' },
            status: { enum: ['firing', 'resolved'] },
            severity: { enum: ['info', 'warning', 'critical'] },
            modelId: { type: 'string' },
            monitorId: { type: 'string' },
            metric: { type: 'string' },
            feature: { type: ['string', 'null'] },
            value: { type: 'number' },
            threshold: { type: 'number' },
            windowStart: { type: 'string', format: 'date-time' },
            windowEnd: { type: 'string', format: 'date-time' },
            startsAt: { type: 'string', format: 'date-time' },
            endsAt: { type: ['string', 'null'], format: 'date-time' },
            summary: { type: 'string' },
            evidence: {
              type: 'object',
              description: 'topFeatures (the most drifted columns), labels, op, retrainTriggerId, url',
            },
            updatedAt: { type: 'string', format: 'date-time' },
            acknowledged: {
              description: 'null until someone acknowledges the alert (POST /v1/alerts/{id}/ack)',
              oneOf: [
                { type: 'null' },
                {
                  type: 'object',
                  properties: {
                    at: { type: 'string', format: 'date-time' },
                    by: { type: ['string', 'null'] },
                    comment: { type: ['string', 'null'] },
                  },
                },
              ],
            },
          },
        },
        AlertAckRequest: component(alertAckRequestSchema),
        OffsetReset: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            groupId: { type: 'string' },
            topic: { type: 'string' },
            partition: { type: 'integer' },
            reason: {
              enum: ['beyond_end', 'topic_changed', 'records_lost'],
              description:
                'beyond_end: the stored offset was past the partition end; topic_changed: the broker holds another record where the last consumed one was; records_lost: the broker deleted records before they were consumed',
            },
            oldOffset: { type: 'string' },
            newOffset: { type: 'string' },
            recordsLost: { type: ['string', 'null'] },
            detail: { type: 'string' },
            detectedAt: { type: 'string', format: 'date-time' },
          },
        },
        ChannelSpec: component(channelSpecSchema),
        Channel: {
          type: 'object',
          description: 'A channel without its secret: hasToken / hasSecret say whether one is stored',
          properties: {
            channelId: { type: 'string' },
            type: { enum: ['slack', 'email', 'webhook'] },
            slack: {
              type: 'object',
              properties: { channel: { type: 'string' }, hasToken: { type: 'boolean' } },
            },
            email: { type: 'object', properties: { to: { type: 'array', items: { type: 'string' } } } },
            webhook: {
              type: 'object',
              properties: { url: { type: 'string' }, hasSecret: { type: 'boolean' } },
            },
            ...timestamps,
          },
        },
        RouteSpec: component(routeSpecSchema),
        Route: {
          type: 'object',
          properties: {
            ...(component(routeSpecSchema).properties as object),
            groupWait: { type: ['string', 'null'], description: "null: the notifier's ALERT_GROUP_WAIT" },
            groupInterval: {
              type: ['string', 'null'],
              description: "null: the notifier's ALERT_GROUP_INTERVAL",
            },
            repeatInterval: {
              type: ['string', 'null'],
              description: "null: the notifier's ALERT_REPEAT_INTERVAL",
            },
            ...timestamps,
          },
        },
        SilenceSpec: component(silenceSpecSchema),
        Silence: {
          type: 'object',
          properties: {
            silenceId: { type: 'string', format: 'uuid' },
            ...(component(silenceSpecSchema).properties as object),
            state: { enum: ['pending', 'active', 'expired'], description: 'at the time of the answer' },
            ...timestamps,
          },
        },
        Delivery: {
          type: 'object',
          properties: {
            notificationId: {
              type: 'string',
              format: 'uuid',
              description: 'the Idempotency-Key, Message-ID and Slack metadata of every attempt',
            },
            channelId: { type: 'string' },
            channelType: { enum: ['slack', 'email', 'webhook', null] },
            routeId: { type: 'string' },
            groupKey: { type: 'string' },
            kind: { enum: ['firing', 'resolved'] },
            title: { type: 'string' },
            alertIds: { type: 'array', items: { type: 'string' } },
            status: { enum: ['pending', 'sent', 'failed'] },
            reason: { type: ['string', 'null'], description: 'why it failed' },
            attempts: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  attempt: { type: 'integer' },
                  startedAt: { type: 'string', format: 'date-time' },
                  durationMs: { type: ['integer', 'null'] },
                  outcome: { enum: ['sent', 'retry', 'failed', 'in_flight', 'interrupted'] },
                  httpStatus: { type: ['integer', 'null'] },
                  error: { type: ['string', 'null'] },
                  retryAfterMs: { type: ['integer', 'null'], description: "the receiver's Retry-After" },
                },
              },
            },
            createdAt: { type: 'string', format: 'date-time' },
            nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
            deadlineAt: { type: 'string', format: 'date-time' },
            finishedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        PipelineSpec: component(pipelineSpecSchema),
        Pipeline: {
          type: 'object',
          description: 'a pipeline as stored; the secret is never returned',
          properties: {
            pipelineId: { type: 'string' },
            url: { type: 'string' },
            matchers: pipelineSpecSchema.properties.matchers as object,
            cooldown: { type: 'string', description: 'as formatDuration writes it, e.g. 6h, 1h30m, 0ms' },
            ...timestamps,
          },
        },
        RetrainTriggerEvent: component(retrainTriggerEventSchema),
        RetrainRequest: component(retrainRequestSchema),
        RetrainDelivery: {
          type: 'object',
          properties: {
            deliveryId: { type: 'string' },
            triggerId: { type: 'string', description: 'the Idempotency-Key of every attempt' },
            pipelineId: { type: 'string' },
            modelId: { type: 'string' },
            status: { enum: ['pending', 'delivered', 'failed', 'skipped'] },
            reason: { type: ['string', 'null'], description: 'why it was skipped (cooldown: ...) or failed' },
            attempts: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  attempt: { type: 'integer' },
                  startedAt: { type: 'string', format: 'date-time' },
                  durationMs: { type: ['integer', 'null'] },
                  httpStatus: { type: ['integer', 'null'] },
                  error: {
                    type: ['string', 'null'],
                    description: "the receiver's answer, or why there was none",
                  },
                  outcome: { enum: ['delivered', 'retry', 'failed', 'in_flight', 'interrupted'] },
                },
              },
            },
            nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
            deadlineAt: { type: ['string', 'null'], format: 'date-time' },
            recordedAt: { type: 'string', format: 'date-time' },
            finishedAt: { type: ['string', 'null'], format: 'date-time' },
            trigger: ref('RetrainTriggerEvent'),
          },
        },
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'details', 'requestId'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                details: {},
                requestId: { type: 'string' },
              },
            },
          },
        },
      },
    },
  }),
);
