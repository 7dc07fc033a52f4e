import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueName } from '@driftline/testing';
import { startApi, TEST_ADMIN_KEY, type RunningApi } from '../../services/api/src/models/api-app.fixture';
import { closedPort } from './cli.fixture';
import type { CliIo } from './cli.io';
import { main } from './main';

function captured(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    out: () => out,
    err: () => err,
  };
}

describe('driftline reference upload against the real API', () => {
  let api: RunningApi;
  const dir = mkdtempSync(join(tmpdir(), 'driftline-reference-'));
  beforeAll(async () => {
    api = await startApi();
    process.env.DRIFTLINE_API_KEY = TEST_ADMIN_KEY;
  });
  afterAll(async () => {
    delete process.env.DRIFTLINE_API_KEY;
    await api.close();
  });

  async function register(): Promise<string> {
    const modelId = uniqueName('cli');
    const response = await api.fetch(`/v1/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        modelId,
        features: { x: 'numeric' },
        window: { size: '1h', step: '1h', allowedLateness: '0s' },
      }),
    });
    expect(response.status).toBe(201);
    return modelId;
  }

  it('streams a CSV file and prints the stored profile, with a one-line summary off a terminal', async () => {
    const modelId = await register();
    const file = join(dir, 'reference.csv');
    const text = [
      'x,colour',
      ...Array.from({ length: 100 }, (_, i) => `${i},${i % 2 ? 'red' : 'blue'}`),
    ].join('\n');
    writeFileSync(file, text);
    const io = captured();
    const code = await main(
      ['reference', 'upload', '--model', modelId, '--file', file, '--api', api.url],
      io,
    );
    expect(code).toBe(0);
    const body = JSON.parse(io.out());
    expect(body).toMatchObject({
      modelId,
      rows: 100,
      features: { x: { type: 'numeric' }, colour: { type: 'categorical' } },
    });
    expect(io.err()).toMatch(
      new RegExp(
        `^uploaded ${Buffer.byteLength(text)} B \\(100 rows\\) to model ${modelId} in \\d+\\.\\d s\\n$`,
      ),
    );
  });

  it('exits 2 with one line for an HTTP error: a bad row, an unknown model', async () => {
    const modelId = await register();
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, '{"x":1}\n{"x":"many"}\n');
    const io = captured();
    expect(
      await main(['reference', 'upload', '--model', modelId, '--file', file, '--api', api.url], io),
    ).toBe(2);
    expect(io.err()).toBe(
      'driftline: HTTP 400 invalid_reference_row: line 2: feature "x" is declared numeric but holds "many"\n',
    );
    expect(io.out()).toBe('');

    const unknown = captured();
    expect(
      await main(['reference', 'upload', '--model', 'nobody', '--file', file, '--api', api.url], unknown),
    ).toBe(2);
    expect(unknown.err()).toMatch(/^driftline: HTTP 404 model_not_found: .*\n$/);
  });

  it('exits 2 when the API cannot be reached or the file is missing', async () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, 'x\n1\n');
    const url = `http://127.0.0.1:${await closedPort()}`;
    const io = captured();
    expect(await main(['reference', 'upload', '--model', 'm', '--file', file, '--api', url], io)).toBe(2);
    expect(io.err()).toBe(`driftline: cannot reach the API at ${url}: ECONNREFUSED\n`);
    const missing = captured();
    expect(
      await main(['reference', 'upload', '--model', 'm', '--file', join(dir, 'none.csv')], missing),
    ).toBe(2);
    expect(missing.err()).toBe(`driftline: cannot read ${join(dir, 'none.csv')}: no such file\n`);
  });
});
