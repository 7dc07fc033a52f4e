import type { BenchDataset } from './prediction.generator';

/** What the run could set up: the monitor only windows models that are registered with a reference. */
export interface Registration {
  registered: number;
  withReference: number;
  referenceRows: number;
  seconds: number;
  /** Why models were left without windows (the first failure), or null. */
  problem: string | null;
}

async function describe(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  return `${response.status} ${text.slice(0, 300)}`;
}

async function registerOne(
  apiUrl: string,
  apiKey: string,
  dataset: BenchDataset,
  index: number,
  rows: number,
): Promise<void> {
  const modelId = dataset.modelIds[index];
  const created = await fetch(`${apiUrl}/v1/models`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(dataset.spec(modelId)),
  });
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`POST /v1/models answered ${await describe(created)}`);
  }
  await created.arrayBuffer();
  const uploaded = await fetch(`${apiUrl}/v1/models/${encodeURIComponent(modelId)}/reference?name=bench`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${apiKey}` },
    body: dataset.referenceCsv(index, rows),
  });
  if (uploaded.status !== 201) {
    const problem = `POST /v1/models/${modelId}/reference answered ${await describe(uploaded)}`;
    throw Object.assign(new Error(problem), { registered: true });
  }
  await uploaded.arrayBuffer();
}

/**
 * POST /v1/models for every model of the dataset, then POST /v1/models/:id/reference with a CSV
 * of `rows` generated rows each, `concurrency` models at a time. Stops at the first failure and
 * says why, so a control plane that is not there yet leaves the monitor counting events only.
 */
export async function registerModels(
  apiUrl: string,
  apiKey: string,
  dataset: BenchDataset,
  rows: number,
  concurrency = 4,
): Promise<Registration> {
  const started = Date.now();
  const result: Registration = {
    registered: 0,
    withReference: 0,
    referenceRows: rows,
    seconds: 0,
    problem: null,
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (result.problem === null && next < dataset.models.length) {
      const index = next++;
      try {
        await registerOne(apiUrl, apiKey, dataset, index, rows);
        result.registered++;
        result.withReference++;
      } catch (error) {
        if ((error as { registered?: boolean }).registered) result.registered++;
        result.problem ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.seconds = (Date.now() - started) / 1000;
  return result;
}
