import type { GroundTruthEvent, ModelSpec, PredictionEvent } from '@driftline/contracts';

async function expectStatus(response: Response, expected: number[], what: string): Promise<void> {
  if (!expected.includes(response.status)) {
    throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
  }
}

/** Registers the model, or updates it when it is already registered (so a demo can run again). */
export async function registerModel(api: string, spec: ModelSpec): Promise<'created' | 'updated'> {
  const json = { 'content-type': 'application/json' };
  const update = await fetch(`${api}/v1/models/${encodeURIComponent(spec.modelId)}`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify(spec),
  });
  if (update.status !== 404) {
    await expectStatus(update, [200], `PUT /v1/models/${spec.modelId}`);
    return 'updated';
  }
  const create = await fetch(`${api}/v1/models`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(spec),
  });
  await expectStatus(create, [201], 'POST /v1/models');
  return 'created';
}

/** Uploads rows as the model's reference in force (NDJSON), and returns the API's summary of it. */
export async function uploadReference(
  api: string,
  modelId: string,
  rows: readonly Record<string, unknown>[],
  name: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(
    `${api}/v1/models/${encodeURIComponent(modelId)}/reference?name=${encodeURIComponent(name)}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
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
): Promise<void> {
  const response = await fetch(`${api}/v1/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  await expectStatus(response, [202], `POST /v1/${kind}`);
}
