import type { GroundTruthEvent, ModelSpec, PredictionEvent } from '@driftline/contracts';

/** The key the demo scripts call the api with: DRIFTLINE_API_KEY, as the CLI and the README use it. */
const envKey = (): string | undefined => process.env.DRIFTLINE_API_KEY || undefined;

function headers(key: string | undefined, contentType: string): Record<string, string> {
  return { 'content-type': contentType, ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) };
}

async function expectStatus(response: Response, expected: number[], what: string): Promise<void> {
  if (!expected.includes(response.status)) {
    throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * Replaces `/v1/<collection>/<id>` with `body`, or creates it when it does not exist yet, so a demo
 * can run again on the state an earlier run left. Every call sends `key` (default DRIFTLINE_API_KEY).
 */
export async function upsert(
  api: string,
  collection: 'models' | 'channels' | 'routes' | 'monitors' | 'pipelines',
  id: string,
  body: unknown,
  key = envKey(),
): Promise<'created' | 'updated'> {
  const json = headers(key, 'application/json');
  const path = `/v1/${collection}/${encodeURIComponent(id)}`;
  const update = await fetch(`${api}${path}`, { method: 'PUT', headers: json, body: JSON.stringify(body) });
  if (update.status !== 404) {
    await expectStatus(update, [200], `PUT ${path}`);
    return 'updated';
  }
  const create = await fetch(`${api}/v1/${collection}`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(body),
  });
  await expectStatus(create, [201], `POST /v1/${collection}`);
  return 'created';
}

/** Registers the model, or updates it when it is already registered. */
export function registerModel(api: string, spec: ModelSpec, key = envKey()): Promise<'created' | 'updated'> {
  return upsert(api, 'models', spec.modelId, spec, key);
}

/** Uploads rows as the model's reference in force (NDJSON), and returns the API's summary of it. */
export async function uploadReference(
  api: string,
  modelId: string,
  rows: readonly Record<string, unknown>[],
  name: string,
  key = envKey(),
): Promise<Record<string, unknown>> {
  const response = await fetch(
    `${api}/v1/models/${encodeURIComponent(modelId)}/reference?name=${encodeURIComponent(name)}`,
    {
      method: 'POST',
      headers: headers(key, 'application/x-ndjson'),
      body: rows.map((r) => JSON.stringify(r)).join('\n'),
    },
  );
  await expectStatus(response, [201], `POST /v1/models/${modelId}/reference`);
  return (await response.json()) as Record<string, unknown>;
}

/** Posts a batch of predictions or labels to the ingest API, which answers 202 once Kafka has them. */
export async function postEvents(
  api: string,
  kind: 'predictions' | 'ground-truth',
  events: readonly (PredictionEvent | GroundTruthEvent)[],
  key = envKey(),
): Promise<void> {
  const response = await fetch(`${api}/v1/${kind}`, {
    method: 'POST',
    headers: headers(key, 'application/json'),
    body: JSON.stringify(events),
  });
  await expectStatus(response, [202], `POST /v1/${kind}`);
}
